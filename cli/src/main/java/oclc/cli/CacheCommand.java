package oclc.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import oclc.cache.KernelCache;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code oclc cache list|verify|clear}: the device binaries oclc keeps on disk. */
@Command(
    name = "cache",
    mixinStandardHelpOptions = true,
    description = "List, verify or clear the cache of device binaries.",
    subcommands = {
      CacheCommand.ListEntries.class,
      CacheCommand.Verify.class,
      CacheCommand.Clear.class
    })
final class CacheCommand {

  /**
   * The {@code --cache-dir} option, shared by the subcommands and every command that builds or
   * loads kernels.
   */
  static final class Location {
    @Option(
        names = "--cache-dir",
        paramLabel = "DIR",
        description = "the cache folder (default: $OCLC_CACHE_DIR, else ~/.cache/oclc/kernels)")
    Path directory;

    /** The folder given, or null for the default. */
    Path directory() {
      return directory;
    }

    KernelCache cache() {
      return new KernelCache(
          directory != null ? directory : KernelCache.defaultDirectory(System.getenv()));
    }
  }

  /**
   * A subcommand that works on the cache at {@code --cache-dir} and prints to the command's output,
   * which it flushes when done.
   */
  abstract static class OnCache implements Callable<Integer> {
    @Mixin Location location;
    @Spec CommandSpec spec;

    @Override
    public final Integer call() {
      PrintWriter out = spec.commandLine().getOut();
      int status = run(location.cache(), out);
      out.flush();
      return status;
    }

    /** Does the work; returns the exit status. */
    abstract int run(KernelCache cache, PrintWriter out);
  }

  @Command(
      name = "list",
      mixinStandardHelpOptions = true,
      description = "One line per cached binary.")
  static final class ListEntries extends OnCache {
    @Override
    int run(KernelCache cache, PrintWriter out) {
      List<KernelCache.Entry> entries = cache.entries();
      out.printf("%-28s %10s  %-40s %s%n", "kernel", "bytes", "device", "driver / oclc");
      long total = 0;
      for (KernelCache.Entry e : entries) {
        total += e.bytes();
        if (e.valid()) {
          out.printf(
              "%-28s %10d  %-40s %s / %s%n",
              e.key().kernelName(),
              e.bytes(),
              e.key().device(),
              e.key().driverVersion(),
              e.key().oclcVersion());
        } else {
          out.printf("%-28s %10d  DAMAGED: %s%n", e.file().getFileName(), e.bytes(), e.problem());
        }
      }
      out.printf("%d entries, %d bytes in %s%n", entries.size(), total, cache.directory());
      return 0;
    }
  }

  @Command(
      name = "verify",
      mixinStandardHelpOptions = true,
      description =
          "Check every entry's checksum; remove the damaged ones (they are rebuilt when next needed).")
  static final class Verify extends OnCache {
    @Override
    int run(KernelCache cache, PrintWriter out) {
      int total = cache.entries().size();
      List<KernelCache.Entry> removed = cache.removeInvalid();
      removed.forEach(e -> out.println("removed " + e.file().getFileName() + ": " + e.problem()));
      List<java.nio.file.Path> abandoned = cache.removeAbandonedWrites();
      abandoned.forEach(
          file ->
              out.println(
                  "removed " + file.getFileName() + ": the write of a process that was killed"));
      out.println(
          (total - removed.size())
              + " entries ok, "
              + removed.size()
              + " damaged and removed"
              + (abandoned.isEmpty() ? "" : ", " + abandoned.size() + " abandoned writes removed"));
      return removed.isEmpty() ? 0 : 1;
    }
  }

  @Command(name = "clear", mixinStandardHelpOptions = true, description = "Remove every entry.")
  static final class Clear extends OnCache {
    @Override
    int run(KernelCache cache, PrintWriter out) {
      int removed = cache.clear();
      out.println("removed " + removed + " entries from " + cache.directory());
      return 0;
    }
  }
}
