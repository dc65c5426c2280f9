package oclc.cache;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Device binaries on disk, one file per {@link CacheKey}. Writes are atomic (a temporary file in
 * the same folder, forced to disk, then renamed), so a reader sees a whole entry or none; a damaged
 * entry is detected by its checksum, removed, and reported so the caller rebuilds it.
 */
public final class KernelCache {
  /** Overrides the default folder (as {@code --cache-dir} does on the command line). */
  public static final String DIRECTORY_VARIABLE = "OCLC_CACHE_DIR";

  private static final String SUFFIX = ".bin";

  /** A write in progress: {@code <digest>-<pid>-<random>.tmp}, so that a dead writer's shows. */
  private static final String TEMPORARY = ".tmp";

  private final Path directory;

  public KernelCache(Path directory) {
    this.directory = directory;
  }

  /**
   * {@code $OCLC_CACHE_DIR}, else {@code $XDG_CACHE_HOME/oclc/kernels}, else {@code
   * ~/.cache/oclc/kernels}.
   */
  public static Path defaultDirectory(Map<String, String> environment) {
    String explicit = environment.get(DIRECTORY_VARIABLE);
    if (explicit != null && !explicit.isBlank()) {
      return Path.of(explicit);
    }
    String xdg = environment.get("XDG_CACHE_HOME");
    Path base =
        xdg != null && !xdg.isBlank()
            ? Path.of(xdg)
            : Path.of(System.getProperty("user.home"), ".cache");
    return base.resolve("oclc").resolve("kernels");
  }

  public Path directory() {
    return directory;
  }

  /** What a lookup found. */
  public sealed interface Lookup {
    record Hit(byte[] binary) implements Lookup {}

    record Miss() implements Lookup {}

    /** The entry was damaged and has been removed; {@code reason} says how. */
    record Corrupt(Path file, String reason) implements Lookup {}
  }

  public Lookup get(CacheKey key) {
    Path file = fileOf(key);
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      return new Lookup.Miss();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read cache entry " + file, e);
    }
    return switch (CacheEntryFormat.decode(bytes)) {
      case CacheEntryFormat.Decoded.Valid valid when valid.key().equals(key) ->
          new Lookup.Hit(valid.binary());
      case CacheEntryFormat.Decoded.Valid valid -> discard(file, "it holds another key's binary");
      case CacheEntryFormat.Decoded.Corrupt corrupt -> discard(file, corrupt.reason());
    };
  }

  private Lookup discard(Path file, String reason) {
    try {
      Files.deleteIfExists(file);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot remove the damaged cache entry " + file, e);
    }
    return new Lookup.Corrupt(file, reason);
  }

  /** Stores a binary; concurrent writers of the same key leave one whole entry. */
  public void put(CacheKey key, byte[] binary) {
    byte[] encoded = CacheEntryFormat.encode(key, binary);
    try {
      Files.createDirectories(directory);
      Path temporary =
          Files.createTempFile(
              directory, key.digest() + "-" + ProcessHandle.current().pid() + "-", TEMPORARY);
      try {
        try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.WRITE)) {
          ByteBuffer buffer = ByteBuffer.wrap(encoded);
          while (buffer.hasRemaining()) {
            channel.write(buffer);
          }
          channel.force(true);
        }
        move(temporary, fileOf(key));
      } finally {
        Files.deleteIfExists(temporary);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot write cache entry for kernel " + key.kernelName() + " in " + directory, e);
    }
  }

  private static void move(Path from, Path to) throws IOException {
    try {
      Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
    }
  }

  /** One entry as found on disk. */
  public record Entry(Path file, long bytes, CacheKey key, String problem) {
    public boolean valid() {
      return problem == null;
    }
  }

  /** Every entry, decoded and checked, in file-name order. */
  public List<Entry> entries() {
    List<Entry> entries = new ArrayList<>();
    for (Path file : files()) {
      try {
        byte[] bytes = Files.readAllBytes(file);
        entries.add(
            switch (CacheEntryFormat.decode(bytes)) {
              case CacheEntryFormat.Decoded.Valid v ->
                  file.getFileName().toString().equals(v.key().digest() + SUFFIX)
                      ? new Entry(file, bytes.length, v.key(), null)
                      : new Entry(file, bytes.length, v.key(), "file name does not match its key");
              case CacheEntryFormat.Decoded.Corrupt c ->
                  new Entry(file, bytes.length, null, c.reason());
            });
      } catch (IOException e) {
        entries.add(new Entry(file, 0, null, "unreadable: " + e.getMessage()));
      }
    }
    return entries;
  }

  /** Removes every entry; returns how many. */
  public int clear() {
    List<Path> files = files();
    for (Path file : files) {
      try {
        Files.deleteIfExists(file);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot remove " + file, e);
      }
    }
    return files.size();
  }

  /**
   * Removes the temporary files of writes whose process is gone (killed mid-write: the entry they
   * were writing was never renamed into place); returns them.
   */
  public List<Path> removeAbandonedWrites() {
    if (!Files.isDirectory(directory)) {
      return List.of();
    }
    List<Path> abandoned;
    try (Stream<Path> s = Files.list(directory)) {
      abandoned = s.filter(KernelCache::abandoned).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + directory, e);
    }
    for (Path file : abandoned) {
      try {
        Files.deleteIfExists(file);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot remove " + file, e);
      }
    }
    return abandoned;
  }

  private static boolean abandoned(Path file) {
    String name = file.getFileName().toString();
    if (!name.endsWith(TEMPORARY)) {
      return false;
    }
    String[] parts = name.split("-");
    if (parts.length < 3) {
      return false;
    }
    try {
      long pid = Long.parseLong(parts[1]);
      return ProcessHandle.of(pid).map(p -> !p.isAlive()).orElse(true);
    } catch (NumberFormatException e) {
      return false;
    }
  }

  /** Removes the entries that fail their checks; returns them. */
  public List<Entry> removeInvalid() {
    List<Entry> invalid = entries().stream().filter(e -> !e.valid()).toList();
    invalid.forEach(
        e -> {
          try {
            Files.deleteIfExists(e.file());
          } catch (IOException ex) {
            throw new UncheckedIOException("cannot remove " + e.file(), ex);
          }
        });
    return invalid;
  }

  Path fileOf(CacheKey key) {
    return directory.resolve(key.digest() + SUFFIX);
  }

  private List<Path> files() {
    if (!Files.isDirectory(directory)) {
      return List.of();
    }
    try (Stream<Path> s = Files.list(directory)) {
      return s.filter(p -> p.getFileName().toString().endsWith(SUFFIX)).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + directory, e);
    }
  }
}
