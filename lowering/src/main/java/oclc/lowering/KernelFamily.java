package oclc.lowering;

import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;
import oclc.ir.OpDefinition;
import oclc.ir.ops.ElementwiseOps;
import oclc.ir.ops.ReducesAxes;
import oclc.ir.ops.ReductionOps;

/**
 * The kernel families: each declares the ONNX ops (default domain) it takes, and each backend
 * registers one lowering per family. Where an op group has definitions of its own (the elementwise
 * ops, the reductions), the family takes them from there instead of naming them again. {@link
 * KernelFamilies#of} is the one place an op is mapped to its family.
 */
public enum KernelFamily {
  /** x to a power: its own family, as a small constant exponent becomes multiplications. */
  POW(Set.of("Pow")),
  /** Unary and broadcast n-ary math, comparisons, logic, Where, Clip, Cast, CastLike, Mean. */
  ELEMENTWISE(opTypes(ElementwiseOps.definitions(), op -> !op.opType().equals("Pow"))),
  MATMUL(Set.of("MatMul", "Gemm")),
  EINSUM(Set.of("Einsum")),
  ROTARY(Set.of("RotaryEmbedding")),
  /** Row-wise normalizations: one row in, one row out. */
  ROWS(Set.of("Softmax", "LogSoftmax", "Hardmax", "LayerNormalization", "RMSNormalization")),
  /** Reductions over axes, ArgMax and ArgMin among them. */
  REDUCE(opTypes(ReductionOps.definitions(), op -> op instanceof ReducesAxes)),
  /** Ops that move elements: strided copies. */
  MOVEMENT(
      Set.of(
          "Transpose",
          "Slice",
          "Split",
          "Concat",
          "Expand",
          "Tile",
          "DepthToSpace",
          "SpaceToDepth")),
  /** Ops whose output is their input seen with another shape: no copy. */
  VIEW(Set.of("Reshape", "Unsqueeze", "Squeeze", "Flatten", "Identity", "Dropout")),
  GATHER(Set.of("Gather", "GatherElements", "GatherND")),
  MASK(Set.of("Trilu", "OneHot")),
  PAD(Set.of("Pad")),
  SCATTER(Set.of("ScatterElements", "Scatter", "ScatterND")),
  RANGE(Set.of("Range"));

  private final Set<String> ops;

  KernelFamily(Set<String> ops) {
    this.ops = Collections.unmodifiableSet(new TreeSet<>(ops));
  }

  /** The op types (ONNX default domain) this family takes. */
  public Set<String> ops() {
    return ops;
  }

  private static Set<String> opTypes(List<OpDefinition> definitions, Predicate<OpDefinition> take) {
    Set<String> ops = new TreeSet<>();
    definitions.stream()
        .filter(op -> op.domain().isEmpty())
        .filter(take)
        .forEach(op -> ops.add(op.opType()));
    return ops;
  }
}
