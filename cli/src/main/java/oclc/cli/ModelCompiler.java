package oclc.cli;

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
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import oclc.artifact.ArtifactWriter;
import oclc.artifact.Manifest;
import oclc.artifact.Manifest.KernelFile;
import oclc.artifact.Version;
import oclc.codegen.opencl.GraphLowering;
import oclc.codegen.opencl.LoweredGraph;
import oclc.ir.Graph;
import oclc.ir.ValueInfo;

/** Lowers a loaded model to OpenCL and writes its artifact folder (no device needed). */
public final class ModelCompiler {
  private ModelCompiler() {}

  /** Lowers the model and writes its artifact to {@code out} (replacing an older one whole). */
  public static Manifest writeArtifact(LoadedModel loaded, Path out) {
    Graph graph = loaded.simplified();
    LoweredGraph lowered = GraphLowering.lower(graph);
    List<KernelFile> kernels = lowered.kernelSources().keySet().stream()
        .map(name -> new KernelFile(name, name + ".cl", "")).toList();
    Manifest manifest = new Manifest(Manifest.FORMAT_VERSION, Version.OCLC, loaded.file().getFileName().toString(),
        sha256(loaded.file()), symbolRanges(graph), specs(graph.inputs()), specs(graph.outputs()),
        graph.assertions().stream().map(a -> new Manifest.Assumption(a.lessOrEqual(), a.bound(), a.reason())).toList(),
        lowered.buffers(), kernels, lowered.nodes());
    String graphJson = Json.write(InspectCommand.toJson(loaded));
    return ArtifactWriter.write(out, new ArtifactWriter.Contents(manifest, lowered.kernelSources(),
        lowered.paramBytes(), graphJson));
  }

  /** Every symbol of the inputs, in order of appearance; sizes are non-negative and otherwise open. */
  private static List<Manifest.SymbolRange> symbolRanges(Graph graph) {
    Set<String> names = new LinkedHashSet<>();
    for (ValueInfo in : graph.inputs()) {
      in.shape().dims().forEach(d -> names.addAll(d.symbols()));
    }
    List<Manifest.SymbolRange> ranges = new ArrayList<>();
    names.forEach(n -> ranges.add(new Manifest.SymbolRange(n, 0, Integer.MAX_VALUE)));
    return ranges;
  }

  private static List<Manifest.TensorSpec> specs(List<ValueInfo> values) {
    return values.stream().map(v -> new Manifest.TensorSpec(v.name(), v.dtype(), v.shape().dims())).toList();
  }

  static String sha256(Path file) {
    try (InputStream in = new DigestInputStream(Files.newInputStream(file), MessageDigest.getInstance("SHA-256"))) {
      in.transferTo(java.io.OutputStream.nullOutputStream());
      return HexFormat.of().formatHex(((DigestInputStream) in).getMessageDigest().digest());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

}
