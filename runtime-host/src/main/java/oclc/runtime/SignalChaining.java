package oclc.runtime;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * Whether this JVM runs with its signal chaining (HotSpot's {@code libjsig}, preloaded), which POCL
 * needs: while its LLVM compiles a kernel (a build from source, or a work-group function at a
 * kernel's first launch) it installs its own one-shot SIGSEGV handler over the JVM's, and the JVM
 * takes SIGSEGVs of its own all the time (a thread in compiled code reaching a safepoint). The
 * first such signal then runs LLVM's handler, which deletes the compiler's temporary files (the
 * build fails: "unable to rename temporary"), and a second at the same moment finds no handler and
 * kills the process (exit 139, no JVM crash report). Measured: 40 builds from source with three
 * threads in compiled loops and safepoints failed or crashed 5 times in 5 without libjsig, 0 in 5
 * with it. The launcher, the bench and the tests preload it; an embedding application must too.
 */
public final class SignalChaining {
  private static final boolean ACTIVE = loaded(Path.of("/proc/self/maps"));
  private static final AtomicBoolean WARNED = new AtomicBoolean();

  private SignalChaining() {}

  /**
   * Whether libjsig is loaded; true where the process's mappings cannot be read (not Linux:
   * unknown).
   */
  public static boolean active() {
    return ACTIVE;
  }

  /** The library to preload, from this JVM's home. */
  public static Path library() {
    return Path.of(System.getProperty("java.home"), "lib", "libjsig.so");
  }

  /** Says once per process, to {@code warnings}, that signal chaining is off and what to do. */
  static void warnIfOff(Consumer<String> warnings) {
    if (!ACTIVE && WARNED.compareAndSet(false, true)) {
      warnings.accept(
          "this JVM runs without its signal chaining: while POCL compiles a kernel its LLVM takes "
              + "SIGSEGV over from the JVM, which can fail the build or crash the process; start the JVM with "
              + "LD_PRELOAD="
              + library()
              + " (the oclc launcher does)");
    }
  }

  static boolean loaded(Path maps) {
    try {
      return Files.readString(maps).contains("/libjsig.so");
    } catch (IOException | SecurityException e) {
      return true;
    }
  }
}
