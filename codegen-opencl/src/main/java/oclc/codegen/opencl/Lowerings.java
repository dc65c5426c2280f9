package oclc.codegen.opencl;

import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import oclc.ir.Node;

/** Which lowering computes which op type: the one list to extend when a kernel family grows. */
final class Lowerings {
  private static final Map<String, NodeLowering> BY_OP = new TreeMap<>();

  static {
    ElementwiseKernels.unaryOps().forEach(op -> BY_OP.put(op, new ElementwiseLowering()));
    ElementwiseKernels.binaryOps().forEach(op -> BY_OP.put(op, new ElementwiseLowering()));
    BY_OP.put("Pow", new PowLowering());
    for (String op : new String[] {"Where", "Clip", "Cast", "CastLike", "Mean"}) {
      BY_OP.put(op, new ElementwiseLowering());
    }
    for (String op : new String[] {"MatMul", "Gemm"}) {
      BY_OP.put(op, new MatMulLowering());
    }
    BY_OP.put("Einsum", new EinsumLowering());
    BY_OP.put("RotaryEmbedding", new RotaryLowering());
    for (String op :
        new String[] {
          "Softmax", "LogSoftmax", "Hardmax", "LayerNormalization", "RMSNormalization"
        }) {
      BY_OP.put(op, new RowLowering());
    }
    for (String op :
        new String[] {
          "ReduceSum",
          "ReduceMean",
          "ReduceMax",
          "ReduceMin",
          "ReduceProd",
          "ReduceL1",
          "ReduceL2",
          "ReduceLogSum",
          "ReduceLogSumExp",
          "ReduceSumSquare",
          "ArgMax",
          "ArgMin"
        }) {
      BY_OP.put(op, new ReduceLowering());
    }
    for (String op :
        new String[] {
          "Transpose", "Slice", "Split", "Concat", "Expand", "Tile", "DepthToSpace", "SpaceToDepth"
        }) {
      BY_OP.put(op, new MovementLowering());
    }
    for (String op :
        new String[] {"Reshape", "Unsqueeze", "Squeeze", "Flatten", "Identity", "Dropout"}) {
      BY_OP.put(op, new ViewLowering());
    }
    for (String op : new String[] {"Gather", "GatherElements", "GatherND"}) {
      BY_OP.put(op, new GatherLowering());
    }
    for (String op : new String[] {"Trilu", "OneHot"}) {
      BY_OP.put(op, new MaskLowering());
    }
    BY_OP.put("Pad", new PadLowering());
    for (String op : new String[] {"ScatterElements", "Scatter", "ScatterND"}) {
      BY_OP.put(op, new ScatterLowering());
    }
    BY_OP.put("Range", new RangeLowering());
  }

  private Lowerings() {}

  static Optional<NodeLowering> find(Node node) {
    return node.domain().isEmpty() || node.domain().equals("ai.onnx")
        ? Optional.ofNullable(BY_OP.get(node.opType()))
        : Optional.empty();
  }

  /** The op types some kernel family lowers. */
  static java.util.Set<String> opTypes() {
    return java.util.Collections.unmodifiableSet(BY_OP.keySet());
  }
}
