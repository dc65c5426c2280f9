package oclc.cache;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KernelCacheTest {
  @TempDir Path folder;

  private static CacheKey key(String source) {
    return CacheKey.of(
        "matmul_gemv",
        source,
        "-cl-fast-relaxed-math",
        "Portable Computing Language",
        "cpu-haswell-AMD EPYC",
        "3.1+debian",
        "0.1.0");
  }

  private static byte[] binary(int seed, int size) {
    byte[] b = new byte[size];
    new Random(seed).nextBytes(b);
    return b;
  }

  @Test
  void aStoredBinaryComesBackByItsKey() {
    KernelCache cache = new KernelCache(folder);
    byte[] bin = binary(1, 5000);
    assertInstanceOf(KernelCache.Lookup.Miss.class, cache.get(key("kernel void k() {}")));
    cache.put(key("kernel void k() {}"), bin);
    var hit = assertInstanceOf(KernelCache.Lookup.Hit.class, cache.get(key("kernel void k() {}")));
    assertArrayEquals(bin, hit.binary());
  }

  @Test
  void everyFieldOfTheKeyChangesTheEntry() {
    CacheKey base = key("src");
    List<CacheKey> variants =
        List.of(
            CacheKey.of(
                "k",
                "src2",
                base.buildOptions(),
                base.platform(),
                base.device(),
                base.driverVersion(),
                base.oclcVersion()),
            CacheKey.of(
                "k",
                "src",
                "-O0",
                base.platform(),
                base.device(),
                base.driverVersion(),
                base.oclcVersion()),
            CacheKey.of(
                "k",
                "src",
                base.buildOptions(),
                "NVIDIA CUDA",
                base.device(),
                base.driverVersion(),
                base.oclcVersion()),
            CacheKey.of(
                "k",
                "src",
                base.buildOptions(),
                base.platform(),
                "other",
                base.driverVersion(),
                base.oclcVersion()),
            CacheKey.of(
                "k",
                "src",
                base.buildOptions(),
                base.platform(),
                base.device(),
                "3.2",
                base.oclcVersion()),
            CacheKey.of(
                "k",
                "src",
                base.buildOptions(),
                base.platform(),
                base.device(),
                base.driverVersion(),
                "0.2.0"));
    variants.forEach(v -> assertNotEquals(base.digest(), v.digest(), v.toString()));
  }

  @Test
  void aTruncatedEntryIsDetectedRemovedAndReported() throws IOException {
    KernelCache cache = new KernelCache(folder);
    CacheKey k = key("src");
    cache.put(k, binary(2, 4000));
    Path file = cache.fileOf(k);
    byte[] whole = Files.readAllBytes(file);
    Files.write(file, Arrays.copyOf(whole, whole.length - 100));
    var corrupt = assertInstanceOf(KernelCache.Lookup.Corrupt.class, cache.get(k));
    assertTrue(corrupt.reason().contains("truncated"), corrupt.reason());
    assertFalse(Files.exists(file), "the damaged entry is gone, so the rebuilt one replaces it");
    assertInstanceOf(KernelCache.Lookup.Miss.class, cache.get(k));
  }

  @Test
  void aFlippedBitFailsTheChecksum() throws IOException {
    KernelCache cache = new KernelCache(folder);
    CacheKey k = key("src");
    cache.put(k, binary(3, 4000));
    Path file = cache.fileOf(k);
    byte[] bytes = Files.readAllBytes(file);
    bytes[bytes.length - 7] ^= 0x10;
    Files.write(file, bytes);
    var corrupt = assertInstanceOf(KernelCache.Lookup.Corrupt.class, cache.get(k));
    assertEquals("checksum mismatch", corrupt.reason());
  }

  @Test
  void anEntryOfTheFormerFormatIsRebuiltNotTrusted() throws IOException {
    KernelCache cache = new KernelCache(folder);
    CacheKey k = key("src");
    cache.put(k, binary(6, 4000));
    Path file = cache.fileOf(k);
    byte[] bytes = Files.readAllBytes(file);
    bytes[7] = '1'; // OCLCBIN2 -> OCLCBIN1, whose checksum field was a SHA-256
    Files.write(file, bytes);
    var corrupt = assertInstanceOf(KernelCache.Lookup.Corrupt.class, cache.get(k));
    assertTrue(corrupt.reason().contains("format of an earlier oclc"), corrupt.reason());
    assertInstanceOf(KernelCache.Lookup.Miss.class, cache.get(k));
  }

  @Test
  void listingChecksEveryEntryAndClearingEmptiesTheFolder() throws IOException {
    KernelCache cache = new KernelCache(folder);
    cache.put(key("a"), binary(4, 100));
    cache.put(key("b"), binary(5, 200));
    Files.writeString(folder.resolve("garbage.bin"), "not an entry");
    List<KernelCache.Entry> entries = cache.entries();
    assertEquals(3, entries.size());
    assertEquals(2, entries.stream().filter(KernelCache.Entry::valid).count());
    assertEquals(
        "matmul_gemv",
        entries.stream()
            .filter(KernelCache.Entry::valid)
            .findFirst()
            .orElseThrow()
            .key()
            .kernelName());
    assertEquals(1, cache.removeInvalid().size());
    assertEquals(2, cache.clear());
    assertTrue(cache.entries().isEmpty());
  }

  @Test
  void concurrentWritersOfOneKeyLeaveOneWholeEntryAndNoTemporaryFiles() throws Exception {
    KernelCache cache = new KernelCache(folder);
    CacheKey k = key("src");
    byte[] bin = binary(6, 1 << 20);
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<?>> writes = new java.util.ArrayList<>();
      for (int i = 0; i < 8; i++) {
        writes.add(pool.submit(() -> cache.put(k, bin)));
      }
      for (Future<?> w : writes) {
        w.get();
      }
    } finally {
      pool.shutdown();
    }
    assertArrayEquals(bin, assertInstanceOf(KernelCache.Lookup.Hit.class, cache.get(k)).binary());
    try (var files = Files.list(folder)) {
      assertEquals(
          List.of(k.digest() + ".bin"), files.map(p -> p.getFileName().toString()).toList());
    }
  }

  @Test
  void theDefaultFolderFollowsTheEnvironment() {
    assertEquals(Path.of("/x/y"), KernelCache.defaultDirectory(Map.of("OCLC_CACHE_DIR", "/x/y")));
    assertEquals(
        Path.of("/xdg/oclc/kernels"),
        KernelCache.defaultDirectory(Map.of("XDG_CACHE_HOME", "/xdg")));
    assertEquals(
        Path.of(System.getProperty("user.home"), ".cache", "oclc", "kernels"),
        KernelCache.defaultDirectory(Map.of()));
  }
}
