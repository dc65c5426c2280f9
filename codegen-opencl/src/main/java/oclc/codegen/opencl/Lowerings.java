package oclc.codegen.opencl;

import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import oclc.ir.Node;
import oclc.lowering.KernelFamilies;
import oclc.lowering.KernelFamily;

/**
 * The OpenCL lowering of each kernel family ({@link KernelFamilies} says which family takes an op).
 * The elementwise family lowers the ops its templates have kernels for, and Where, Clip, Cast,
 * CastLike and Mean, which {@link ElementwiseLowering} builds from them.
 */
final class Lowerings {
  private static final Map<KernelFamily, NodeLowering> BY_FAMILY =
      new EnumMap<>(KernelFamily.class);

  static {
    BY_FAMILY.put(KernelFamily.ELEMENTWISE, new ElementwiseLowering());
    BY_FAMILY.put(KernelFamily.POW, new PowLowering());
    BY_FAMILY.put(KernelFamily.MATMUL, new MatMulLowering());
    BY_FAMILY.put(KernelFamily.EINSUM, new EinsumLowering());
    BY_FAMILY.put(KernelFamily.ROTARY, new RotaryLowering());
    BY_FAMILY.put(KernelFamily.ROWS, new RowLowering());
    BY_FAMILY.put(KernelFamily.REDUCE, new ReduceLowering());
    BY_FAMILY.put(KernelFamily.MOVEMENT, new MovementLowering());
    BY_FAMILY.put(KernelFamily.VIEW, new ViewLowering());
    BY_FAMILY.put(KernelFamily.GATHER, new GatherLowering());
    BY_FAMILY.put(KernelFamily.MASK, new MaskLowering());
    BY_FAMILY.put(KernelFamily.PAD, new PadLowering());
    BY_FAMILY.put(KernelFamily.SCATTER, new ScatterLowering());
    BY_FAMILY.put(KernelFamily.RANGE, new RangeLowering());
  }

  /** The elementwise ops with an OpenCL kernel (the others of the family have none here). */
  private static final Set<String> ELEMENTWISE = elementwise();

  private static Set<String> elementwise() {
    Set<String> ops = new TreeSet<>(ElementwiseKernels.unaryOps());
    ops.addAll(ElementwiseKernels.binaryOps());
    ops.addAll(Set.of("Where", "Clip", "Cast", "CastLike", "Mean"));
    ops.retainAll(KernelFamily.ELEMENTWISE.ops());
    return ops;
  }

  private Lowerings() {}

  static Optional<NodeLowering> find(Node node) {
    return KernelFamilies.of(node)
        .filter(family -> family != KernelFamily.ELEMENTWISE || ELEMENTWISE.contains(node.opType()))
        .map(BY_FAMILY::get);
  }

  /** The families with an OpenCL lowering. */
  static Set<KernelFamily> families() {
    return Collections.unmodifiableSet(BY_FAMILY.keySet());
  }

  /** The op types some kernel family lowers. */
  static Set<String> opTypes() {
    Set<String> ops = new TreeSet<>();
    BY_FAMILY.keySet().forEach(family -> ops.addAll(family.ops()));
    ops.removeIf(op -> KernelFamilies.of(op).orElseThrow() == KernelFamily.ELEMENTWISE);
    ops.addAll(ELEMENTWISE);
    return Collections.unmodifiableSet(ops);
  }
}
