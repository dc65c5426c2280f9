package oclc.cli;

import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.util.List;
import oclc.artifact.Artifact;
import oclc.artifact.ArtifactJson;
import oclc.artifact.Manifest;
import oclc.artifact.Manifest.Dispatch;
import oclc.artifact.Manifest.NodeLaunches;
import oclc.artifact.Manifest.Variant;

/** {@code oclc inspect X.oclc}: the compiled model's signature and every node's dispatch table. */
final class ArtifactInspection {
  private ArtifactInspection() {}

  static void print(Artifact artifact, boolean json, PrintWriter out) {
    Manifest m = artifact.manifest();
    if (json) {
      try {
        out.println(ArtifactJson.mapper().writeValueAsString(m));
      } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
        throw new UncheckedIOException(e);
      }
      return;
    }
    out.printf(
        "artifact: %s (format %d, oclc %s, for %s) of %s%n",
        artifact.directory(),
        m.formatVersion(),
        m.oclcVersion(),
        m.backend().equals(Manifest.JAVA) ? "--device java" : "OpenCL",
        m.model());
    out.println("symbols, the sizes compiled for each and where they came from:");
    for (Manifest.SymbolRange s : m.symbols()) {
      out.println(
          "  "
              + oclc.ir.Dim.symbol(s.name())
              + " in "
              + s.min()
              + ".."
              + s.max()
              + (s.origin() == null
                  ? ""
                  : "  ("
                      + s.origin()
                      + (s.reason() == null || s.reason().isEmpty() ? "" : ": " + s.reason())
                      + ")"));
    }
    out.println("inputs:");
    m.inputs().forEach(t -> out.println("  " + t.name() + "  " + t.dtype() + t.shape()));
    out.println("outputs:");
    m.outputs().forEach(t -> out.println("  " + t.name() + "  " + t.dtype() + t.shape()));
    if (!m.assumptions().isEmpty()) {
      out.println("assumptions, checked when inputs are bound:");
      m.assumptions().forEach(a -> out.println("  " + a));
    }
    if (m.weights().isEmpty()) {
      out.println("weights: as exported");
    } else {
      out.println("weights not stored as exported (node, weight, format):");
      m.weights()
          .forEach(w -> out.println("  " + w.node() + "  " + w.weight() + "  " + w.format()));
    }
    out.printf("kernels: %d in %s/%n", m.kernels().size(), Artifact.KERNELS);
    long fusedNodes = m.nodes().stream().mapToLong(n -> n.fused().size()).sum();
    out.println(
        m.fusion()
            ? "fusion: on ("
                + fusedNodes
                + " nodes fused into the launches of others; compile --no-fuse to keep every node alone)"
            : "fusion: off (every node launched alone)");
    out.println("nodes, each with its variants in the order they are tried:");
    for (NodeLaunches node : m.nodes()) {
      out.println("  " + node.opType() + " '" + node.name() + "'");
      if (!node.fused().isEmpty()) {
        out.println("    fused: " + String.join(", ", node.fused()));
        out.println(
            "    stores "
                + node.outputs()
                + (node.internal().isEmpty() ? "" : "; in registers only: " + node.internal()));
      }
      for (Variant v : node.variants()) {
        out.println("    " + v.name() + (v.when().isEmpty() ? "" : "  when " + conditions(v)));
        for (Dispatch d : v.dispatches()) {
          out.println(
              "      " + d.kernel() + "  global " + d.globalSize() + "  local " + d.localSize());
        }
      }
    }
  }

  private static String conditions(Variant v) {
    List<String> parts = v.when().stream().map(Manifest.Condition::toString).toList();
    return String.join(" and ", parts);
  }
}
