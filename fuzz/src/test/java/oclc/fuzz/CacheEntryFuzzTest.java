package oclc.fuzz;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import oclc.cache.CacheKey;
import oclc.cache.KernelCache;
import org.junit.jupiter.api.Timeout;

/**
 * A kernel-cache entry of any bytes (seeded with a whole entry): a lookup is a hit that returns the
 * binary stored, or finds it corrupt and removes it; it never throws. Listing and verifying the
 * cache never throw either.
 */
class CacheEntryFuzzTest {
  private static final Path FOLDER = FuzzFiles.scratch("cache");
  private static final KernelCache CACHE = new KernelCache(FOLDER);

  /** The key the seed entry (CacheEntryFuzzTestInputs/decodesOrSaysCorrupt/entry) was put for. */
  static final CacheKey KEY =
      CacheKey.of(
          "gemv_w16",
          "__kernel void gemv_w16() {}",
          "-cl-std=CL1.2",
          "POCL",
          "cpu",
          "3.1",
          "0.1.0");

  @FuzzTest(maxDuration = "20s")
  @Timeout(value = 5, unit = TimeUnit.SECONDS)
  void decodesOrSaysCorrupt(byte[] bytes) throws IOException {
    Files.createDirectories(FOLDER);
    Path file = FOLDER.resolve(KEY.digest() + ".bin");
    Files.write(file, bytes);
    CACHE.entries();
    switch (CACHE.get(KEY)) {
      case KernelCache.Lookup.Hit hit -> {
        CACHE.put(KEY, hit.binary());
        assertArrayEquals(bytes, Files.readAllBytes(file), "a hit re-encodes to its own bytes");
      }
      case KernelCache.Lookup.Corrupt corrupt ->
          assertFalse(Files.exists(file), "a corrupt entry is removed");
      case KernelCache.Lookup.Miss miss ->
          throw new AssertionError("an entry that exists was missed");
    }
    CACHE.removeInvalid();
  }
}
