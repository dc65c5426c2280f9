package oclc.lowering.passes;

import java.util.Optional;
import java.util.function.Predicate;
import oclc.ir.Node;
import oclc.lowering.SizeRanges;

/**
 * What decides the lowering passes for one compile: {@code fuse} ({@code --fuse}: the decomposed
 * norms and the fusion groups; {@code --no-fuse}: neither), the size ranges the KV caches' capacity
 * comes from, which nodes have the user's own kernel (never fused), and the backend's fusion
 * planner (OpenCL's epilogues and chains; the Java backend has none and fuses only the norms).
 */
public record LoweringOptions(
    boolean fuse,
    SizeRanges ranges,
    Predicate<Node> userKernel,
    Optional<FusionPlanner> fusionPlanner) {

  /** The options of a backend without fusion groups and user kernels (the Java backend's). */
  public static LoweringOptions of(boolean fuse, SizeRanges ranges) {
    return new LoweringOptions(fuse, ranges, node -> false, Optional.empty());
  }
}
