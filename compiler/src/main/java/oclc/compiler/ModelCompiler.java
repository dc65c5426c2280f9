package oclc.compiler;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import oclc.artifact.ArtifactWriter;
import oclc.artifact.Manifest;
import oclc.artifact.Manifest.KernelFile;
import oclc.artifact.Version;
import oclc.codegen.cpu.JavaLowering;
import oclc.codegen.opencl.GraphLowering;
import oclc.codegen.opencl.KernelOverrides;
import oclc.families.KernelFamilies;
import oclc.ir.Graph;
import oclc.ir.ValueInfo;
import oclc.lowering.LoweredGraph;
import oclc.lowering.Schedule;
import oclc.lowering.SizeRanges;

/**
 * Lowers a loaded model to OpenCL (or to the Java kernels) and writes its artifact folder (no
 * device needed).
 */
public final class ModelCompiler {
  private ModelCompiler() {}

  /**
   * {@code --dim NAME=MIN..MAX} specs as ranges by symbol, as {@code oclc compile} reads them (bad
   * ones refused).
   */
  public static Map<String, SizeRanges.Interval> dimRanges(List<String> specs) {
    return Specs.dimRanges(specs);
  }

  /** The schedule defaults for an OpenCL device: a GPU's for a GPU, else a CPU's. */
  public static Schedule defaultSchedule(oclc.runtime.DeviceInfo device) {
    return Schedule.defaults(ScheduleFiles.target(device));
  }

  /** Lowers the model and writes its artifact to {@code out} (replacing an older one whole). */
  public static Manifest writeArtifact(LoadedModel loaded, Path out) {
    return writeArtifact(
        loaded, out, SizeRanges.forGraph(loaded.simplified(), Map.of(), Map.of(), false));
  }

  /** The same, with one variant per size class the ranges meet. */
  public static Manifest writeArtifact(LoadedModel loaded, Path out, SizeRanges ranges) {
    return writeArtifact(loaded, out, ranges, KernelOverrides.none());
  }

  /** The same, with the user's kernels first where they apply. */
  public static Manifest writeArtifact(
      LoadedModel loaded, Path out, SizeRanges ranges, KernelOverrides overrides) {
    return writeArtifact(loaded, out, ranges, overrides, Schedule.defaults());
  }

  /**
   * The same, with the families' choices of {@code schedule} (written to the artifact's
   * schedule.json); fused.
   */
  public static Manifest writeArtifact(
      LoadedModel loaded,
      Path out,
      SizeRanges ranges,
      KernelOverrides overrides,
      Schedule schedule) {
    return writeArtifact(loaded, out, ranges, overrides, schedule, true);
  }

  /**
   * The same; {@code fuse} fuses elementwise nodes into the launches of the products before them
   * and into chains ({@code --fuse}), else every node is launched alone ({@code --no-fuse}). The
   * manifest records which.
   */
  public static Manifest writeArtifact(
      LoadedModel loaded,
      Path out,
      SizeRanges ranges,
      KernelOverrides overrides,
      Schedule schedule,
      boolean fuse) {
    LoweredGraph lowered =
        GraphLowering.lower(
            KernelFamilies.openCl(), loaded.simplified(), ranges, overrides, schedule, fuse);
    return write(loaded, out, ranges, schedule, lowered, Manifest.OPENCL, ".cl", fuse);
  }

  /**
   * Lowers the model to the Java (Vector API) kernels and writes its artifact: every kernel a
   * description in kernels/NAME.json, the weights packed for them. Needs no OpenCL; nothing is
   * fused.
   */
  public static Manifest writeJavaArtifact(
      LoadedModel loaded, Path out, SizeRanges ranges, Schedule schedule) {
    return writeJavaArtifact(loaded, out, ranges, schedule, false);
  }

  /**
   * The same, with {@code fuse} the patterns the OpenCL lowering fuses into one node as one Java
   * launch each.
   */
  public static Manifest writeJavaArtifact(
      LoadedModel loaded, Path out, SizeRanges ranges, Schedule schedule, boolean fuse) {
    LoweredGraph lowered =
        JavaLowering.lower(KernelFamilies.java(), loaded.simplified(), ranges, schedule, fuse);
    return write(loaded, out, ranges, schedule, lowered, Manifest.JAVA, ".json", fuse);
  }

  private static Manifest write(
      LoadedModel loaded,
      Path out,
      SizeRanges ranges,
      Schedule schedule,
      LoweredGraph lowered,
      String backend,
      String kernelExtension,
      boolean fused) {
    Graph graph = loaded.simplified();
    List<KernelFile> kernels =
        lowered.kernelSources().keySet().stream()
            .map(name -> new KernelFile(name, name + kernelExtension, ""))
            .toList();
    Manifest manifest =
        new Manifest(
            Manifest.FORMAT_VERSION,
            Version.OCLC,
            loaded.file().getFileName().toString(),
            modelHash(loaded),
            symbolRanges(ranges),
            inputSpecs(graph),
            specs(graph.outputs()),
            graph.assertions().stream()
                .map(
                    a ->
                        new Manifest.Assumption(
                            a.lessOrEqual(), a.bound(), a.reason(), a.equality()))
                .toList(),
            lowered.buffers(),
            kernels,
            lowered.nodes(),
            backend,
            fused,
            WeightFormats.of(graph));
    String graphJson = Json.write(GraphJson.of(loaded));
    return ArtifactWriter.write(
        out,
        new ArtifactWriter.Contents(
            manifest,
            lowered.kernelSources(),
            lowered.paramBytes(),
            graphJson,
            ScheduleFiles.json(schedule)));
  }

  private static List<Manifest.SymbolRange> symbolRanges(SizeRanges ranges) {
    List<Manifest.SymbolRange> symbols = new ArrayList<>();
    ranges
        .symbols()
        .forEach(
            (name, r) -> {
              SizeRanges.Provenance p =
                  ranges
                      .provenance()
                      .getOrDefault(name, new SizeRanges.Provenance(SizeRanges.Origin.OPEN, ""));
              symbols.add(
                  new Manifest.SymbolRange(name, r.min(), r.max(), p.origin().word(), p.reason()));
            });
    return symbols;
  }

  /** The inputs, each that indexes a weight's rows with its range ({@link InputIndexRanges}). */
  private static List<Manifest.TensorSpec> inputSpecs(Graph graph) {
    Map<String, Manifest.IndexRange> indexes = InputIndexRanges.of(graph);
    return graph.inputs().stream()
        .map(
            v ->
                new Manifest.TensorSpec(
                    v.name(), v.dtype(), v.shape().dims(), indexes.get(v.name())))
        .toList();
  }

  private static List<Manifest.TensorSpec> specs(List<ValueInfo> values) {
    return values.stream()
        .map(v -> new Manifest.TensorSpec(v.name(), v.dtype(), v.shape().dims()))
        .toList();
  }

  /** The model file's SHA-256; for a graph built in memory (a node checked alone), its text's. */
  private static String modelHash(LoadedModel loaded) {
    if (Files.isRegularFile(loaded.file())) {
      return sha256(loaded.file());
    }
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256")
                  .digest(
                      loaded
                          .simplified()
                          .toString()
                          .getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  static String sha256(Path file) {
    try (InputStream in =
        new DigestInputStream(Files.newInputStream(file), MessageDigest.getInstance("SHA-256"))) {
      in.transferTo(java.io.OutputStream.nullOutputStream());
      return HexFormat.of().formatHex(((DigestInputStream) in).getMessageDigest().digest());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
