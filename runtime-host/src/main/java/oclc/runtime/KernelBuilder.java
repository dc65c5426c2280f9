package oclc.runtime;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;
import oclc.artifact.Artifact;
import oclc.artifact.KernelSources;
import oclc.artifact.Manifest.KernelFile;
import oclc.artifact.Version;
import oclc.cache.CacheKey;
import oclc.cache.KernelCache;
import oclc.ir.OclcException;
import org.jocl.cl_program;

/**
 * Makes a program for every kernel of an artifact: from its cached device binary when the cache has
 * it (milliseconds; several load at once), else from source (about a second each on POCL, one at a
 * time: see {@link OpenClContext#buildFromSource}), storing the binary for next time. A damaged
 * cache entry is reported, rebuilt and replaced.
 */
public final class KernelBuilder {
  /** The options every kernel is built with; they are part of the cache key. */
  public static final String BUILD_OPTIONS = "-cl-std=CL1.2";

  /** How one kernel's program was made. */
  public enum Origin {
    BUILT,
    CACHED,
    EMBEDDED,
    REBUILT
  }

  /** Hears of each kernel as its program is ready, for progress bars. */
  public interface Progress {
    void started(int kernels);

    void ready(String kernel, Origin origin);
  }

  public static final Progress SILENT =
      new Progress() {
        @Override
        public void started(int kernels) {}

        @Override
        public void ready(String kernel, Origin origin) {}
      };

  /** The programs by kernel name, and what it took to make them. */
  public record Programs(
      OpenClContext device,
      Map<String, cl_program> byKernel,
      Map<String, Origin> origins,
      byte[][] binaries) {
    public long count(Origin origin) {
      return origins.values().stream().filter(o -> o == origin).count();
    }

    void release() {
      byKernel.values().forEach(device::releaseProgram);
    }
  }

  private KernelBuilder() {}

  /**
   * Builds every kernel of an artifact ({@link Artifact#kernelSources()}, or read ahead of it).
   * {@code embedded} (the artifact's own bin/ folder, may be null) is consulted after {@code
   * cache}; {@code warnings} hears of damaged entries.
   */
  public static Programs build(
      KernelSources sources,
      OpenClContext device,
      KernelCache cache,
      KernelCache embedded,
      Progress progress,
      Consumer<String> warnings) {
    List<KernelFile> kernels = sources.kernels();
    progress.started(kernels.size());
    int threads = Math.max(1, Math.min(kernels.size(), Runtime.getRuntime().availableProcessors()));
    ExecutorService pool =
        Executors.newFixedThreadPool(
            threads,
            r -> {
              Thread t = new Thread(r, "oclc-kernel-build");
              t.setDaemon(true);
              return t;
            });
    Map<String, cl_program> programs = new LinkedHashMap<>();
    Map<String, Origin> origins = new LinkedHashMap<>();
    List<byte[]> binaries = new ArrayList<>();
    try {
      List<Future<Made>> pending = new ArrayList<>();
      for (KernelFile kernel : kernels) {
        String source = sources.source(kernel.name());
        String sha256 = sources.sha256(kernel.name());
        pending.add(
            pool.submit(
                () -> make(kernel.name(), source, sha256, device, cache, embedded, warnings)));
      }
      for (Future<Made> future : pending) {
        Made made = await(future);
        programs.put(made.kernel(), made.program());
        origins.put(made.kernel(), made.origin());
        binaries.add(made.binary());
        progress.ready(made.kernel(), made.origin());
      }
    } catch (RuntimeException e) {
      programs.values().forEach(device::releaseProgram);
      throw e;
    } finally {
      pool.shutdownNow();
    }
    return new Programs(device, programs, origins, binaries.toArray(byte[][]::new));
  }

  /**
   * The key of a kernel's binary on this device, from the SHA-256 of its source (as {@link
   * Artifact} has it).
   */
  public static CacheKey keyOf(String kernel, String sourceSha256, DeviceInfo info) {
    return new CacheKey(
        kernel,
        sourceSha256,
        BUILD_OPTIONS,
        info.platformName() + " " + info.platformVersion(),
        info.name(),
        info.driverVersion(),
        Version.OCLC);
  }

  private record Made(String kernel, cl_program program, Origin origin, byte[] binary) {}

  private static Made make(
      String kernel,
      String source,
      String sourceSha256,
      OpenClContext device,
      KernelCache cache,
      KernelCache embedded,
      Consumer<String> warnings) {
    CacheKey key = keyOf(kernel, sourceSha256, device.info());
    Optional<OpenClContext.LoadedProgram> kept = device.retainedProgram(key.digest());
    if (kept.isPresent()) {
      return new Made(kernel, kept.get().program(), Origin.CACHED, kept.get().binary());
    }
    Made made = makeAnew(kernel, source, key, device, cache, embedded, warnings);
    device.keepProgram(key.digest(), made.program(), made.binary());
    return made;
  }

  /** A kernel's program from the caches' binaries, else from its source (then cached). */
  private static Made makeAnew(
      String kernel,
      String source,
      CacheKey key,
      OpenClContext device,
      KernelCache cache,
      KernelCache embedded,
      Consumer<String> warnings) {
    boolean damaged = false;
    for (KernelCache c : embedded == null ? List.of(cache) : List.of(cache, embedded)) {
      switch (c.get(key)) {
        case KernelCache.Lookup.Hit hit -> {
          try {
            cl_program program = device.buildFromBinary(kernel, hit.binary(), BUILD_OPTIONS);
            return new Made(
                kernel, program, c == cache ? Origin.CACHED : Origin.EMBEDDED, hit.binary());
          } catch (KernelBuildException e) {
            warnings.accept(
                "the cached binary of kernel "
                    + kernel
                    + " does not load on "
                    + device.info().name()
                    + "; rebuilding it from source");
            damaged = true;
          }
        }
        case KernelCache.Lookup.Corrupt corrupt -> {
          warnings.accept(
              "cache entry "
                  + corrupt.file()
                  + " of kernel "
                  + kernel
                  + " is damaged ("
                  + corrupt.reason()
                  + "); rebuilding it");
          damaged = true;
        }
        case KernelCache.Lookup.Miss miss -> {}
      }
    }
    cl_program program = device.buildFromSource(kernel, source, BUILD_OPTIONS);
    byte[] binary = device.binaryOf(program);
    cache.put(key, binary);
    return new Made(kernel, program, damaged ? Origin.REBUILT : Origin.BUILT, binary);
  }

  private static Made await(Future<Made> future) {
    try {
      return future.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new OclcException("interrupted while building kernels", e);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      throw new OclcException("building a kernel failed: " + e.getCause(), e.getCause());
    }
  }
}
