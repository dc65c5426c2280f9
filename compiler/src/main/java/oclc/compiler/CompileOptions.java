package oclc.compiler;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import oclc.lowering.SizeRanges;

/**
 * How {@link Compiler#compile} compiles a model: an immutable record, made from {@link #defaults()}
 * and changed with the {@code with} methods, each returning a new record.
 *
 * <p>The defaults: device {@code cpu} (the first OpenCL CPU device; the Java backend where there is
 * no OpenCL platform), the artifact {@code NAME.oclc} in the working directory, each symbol over
 * the range the model bounds it to, each kernel family's own size classes, no user kernels, the
 * device type's default schedule, fusion on, user kernels checked against the reference, no device
 * binaries in the artifact, the kernel cache in {@code $OCLC_CACHE_DIR} (else {@code
 * ~/.cache/oclc/kernels}), nothing reported, and no JVM start cache trained.
 *
 * @param device {@code cpu}, {@code gpu}, a substring of an OpenCL device's name, or {@code java}
 *     (the Vector API backend, which needs no OpenCL)
 * @param out the artifact folder to write (replaced whole); null for {@code NAME.oclc} in the
 *     working directory ({@link Specs#defaultArtifactName})
 * @param dims the sizes a symbol takes, by symbol; a symbol left out keeps what the model bounds
 * @param buckets where a symbol's variants change, by symbol; left out, each family's own cut
 * @param kernels user kernels in the form {@code OP=FILE.cl} or {@code node:NAME=FILE.cl}
 *     (docs/custom-kernels.md); OpenCL devices only
 * @param schedule a schedule file (as {@code oclc schedule} or {@code oclc tune} write it); null
 *     for the device type's defaults
 * @param fuse whether elementwise nodes are fused into the launches of the products before them and
 *     into chains; false launches every node alone
 * @param verify whether each user kernel is checked against the reference before the artifact is
 *     written
 * @param embedBinaries whether the device binaries are also copied into the artifact's bin/
 * @param cacheDirectory the kernel cache's folder; null for the default
 * @param listener what hears of the compile's progress
 * @param trainStartCache whether an OpenCL artifact gets a JVM start cache ({@link JvmStartCache}),
 *     where the environment names the run's JVM flags (as the oclc launcher does)
 */
public record CompileOptions(
    String device,
    Path out,
    Map<String, SizeRanges.Interval> dims,
    Map<String, List<SizeRanges.Interval>> buckets,
    List<String> kernels,
    Path schedule,
    boolean fuse,
    boolean verify,
    boolean embedBinaries,
    Path cacheDirectory,
    CompileListener listener,
    boolean trainStartCache) {

  public CompileOptions {
    Objects.requireNonNull(device, "device");
    dims = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(dims));
    Map<String, List<SizeRanges.Interval>> cuts = new LinkedHashMap<>();
    buckets.forEach((symbol, list) -> cuts.put(symbol, List.copyOf(list)));
    buckets = java.util.Collections.unmodifiableMap(cuts);
    kernels = List.copyOf(kernels);
    listener = listener == null ? CompileListener.SILENT : listener;
  }

  /** The defaults (see above). */
  public static CompileOptions defaults() {
    return new CompileOptions(
        "cpu",
        null,
        Map.of(),
        Map.of(),
        List.of(),
        null,
        true,
        true,
        false,
        null,
        CompileListener.SILENT,
        false);
  }

  public CompileOptions withDevice(String device) {
    return new CompileOptions(
        device,
        out,
        dims,
        buckets,
        kernels,
        schedule,
        fuse,
        verify,
        embedBinaries,
        cacheDirectory,
        listener,
        trainStartCache);
  }

  public CompileOptions withOut(Path out) {
    return new CompileOptions(
        device,
        out,
        dims,
        buckets,
        kernels,
        schedule,
        fuse,
        verify,
        embedBinaries,
        cacheDirectory,
        listener,
        trainStartCache);
  }

  public CompileOptions withDims(Map<String, SizeRanges.Interval> dims) {
    return new CompileOptions(
        device,
        out,
        dims,
        buckets,
        kernels,
        schedule,
        fuse,
        verify,
        embedBinaries,
        cacheDirectory,
        listener,
        trainStartCache);
  }

  /** The same, with {@code symbol} over {@code min..max}. */
  public CompileOptions withDim(String symbol, long min, long max) {
    Map<String, SizeRanges.Interval> more = new LinkedHashMap<>(dims);
    more.put(symbol, new SizeRanges.Interval(min, max));
    return withDims(more);
  }

  public CompileOptions withBuckets(Map<String, List<SizeRanges.Interval>> buckets) {
    return new CompileOptions(
        device,
        out,
        dims,
        buckets,
        kernels,
        schedule,
        fuse,
        verify,
        embedBinaries,
        cacheDirectory,
        listener,
        trainStartCache);
  }

  public CompileOptions withKernels(List<String> kernels) {
    return new CompileOptions(
        device,
        out,
        dims,
        buckets,
        kernels,
        schedule,
        fuse,
        verify,
        embedBinaries,
        cacheDirectory,
        listener,
        trainStartCache);
  }

  public CompileOptions withSchedule(Path schedule) {
    return new CompileOptions(
        device,
        out,
        dims,
        buckets,
        kernels,
        schedule,
        fuse,
        verify,
        embedBinaries,
        cacheDirectory,
        listener,
        trainStartCache);
  }

  public CompileOptions withFuse(boolean fuse) {
    return new CompileOptions(
        device,
        out,
        dims,
        buckets,
        kernels,
        schedule,
        fuse,
        verify,
        embedBinaries,
        cacheDirectory,
        listener,
        trainStartCache);
  }

  public CompileOptions withVerify(boolean verify) {
    return new CompileOptions(
        device,
        out,
        dims,
        buckets,
        kernels,
        schedule,
        fuse,
        verify,
        embedBinaries,
        cacheDirectory,
        listener,
        trainStartCache);
  }

  public CompileOptions withEmbedBinaries(boolean embedBinaries) {
    return new CompileOptions(
        device,
        out,
        dims,
        buckets,
        kernels,
        schedule,
        fuse,
        verify,
        embedBinaries,
        cacheDirectory,
        listener,
        trainStartCache);
  }

  public CompileOptions withCacheDirectory(Path cacheDirectory) {
    return new CompileOptions(
        device,
        out,
        dims,
        buckets,
        kernels,
        schedule,
        fuse,
        verify,
        embedBinaries,
        cacheDirectory,
        listener,
        trainStartCache);
  }

  public CompileOptions withListener(CompileListener listener) {
    return new CompileOptions(
        device,
        out,
        dims,
        buckets,
        kernels,
        schedule,
        fuse,
        verify,
        embedBinaries,
        cacheDirectory,
        listener,
        trainStartCache);
  }

  public CompileOptions withTrainStartCache(boolean trainStartCache) {
    return new CompileOptions(
        device,
        out,
        dims,
        buckets,
        kernels,
        schedule,
        fuse,
        verify,
        embedBinaries,
        cacheDirectory,
        listener,
        trainStartCache);
  }
}
