package oclc.codegen.opencl;

import java.util.List;
import oclc.ir.Graph;
import oclc.ir.Node;

/**
 * The patterns {@link Fusion} replaces by one node ({@link DecomposedLayerNorm}: the exporter's
 * nine-node LayerNorm as one LayerNormalization), for a backend that lowers the replacement its own
 * way (the Java kernels): the same decisions as the OpenCL lowering's, made in one place.
 */
public final class FusedPatterns {
  private FusedPatterns() {}

  /**
   * Nodes one replacement computes: {@code covered} in graph order (the launch is named after the
   * first), {@code replacement} the node that computes them, {@code internal} the values between
   * its inputs and its output (no other node reads them).
   */
  public record Replacement(List<Node> covered, Node replacement, List<String> internal) {}

  /** The graph's patterns, in graph order, as {@code compile --fuse} finds them. */
  public static List<Replacement> of(Graph graph, SizeRanges ranges, Schedule schedule) {
    LoweringContext context = new LoweringContext(graph, ranges, schedule.validated());
    return Fusion.plan(graph, context, KernelOverrides.none()).stream()
        .filter(unit -> unit instanceof Fusion.Pattern)
        .map(unit -> (Fusion.Pattern) unit)
        .map(p -> new Replacement(p.covered(), p.replacement(), p.internal()))
        .toList();
  }
}
