package oclc.ir.passes;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import oclc.ir.Attribute;
import oclc.ir.Attributes;
import oclc.ir.Constant;
import oclc.ir.DType;
import oclc.ir.Graph;
import oclc.ir.Node;
import oclc.ir.Tensor;
import oclc.ir.ValueInfo;
import oclc.ir.ops.BlockQuantization;
import oclc.ir.ops.MicrosoftOps;

/**
 * Weights that a file stores quantized, as ONNX writes them: {@code MatMul(A, DequantizeLinear(W
 * [K, N], scale, zero point))} with every DequantizeLinear input a constant (or a {@code Gemm} of
 * such a W, [N, K] with transB, at alpha 1 and with C absent or a constant of N values at beta 1,
 * which becomes the bias) becomes ONNX Runtime's {@code MatMulNBits}, whose kernels read the packed
 * bytes, instead of the float32 weight the constant folding would make. It runs before that
 * folding, on the graph as imported (types of constants only). The values keep their bits where
 * they fit: 4 bits where every value and zero point is in int4's or uint4's range, else 8; int8
 * values shift to uint8 by 128 with their zero points (exact). The blocks run along K:
 *
 * <ul>
 *   <li>blocked along K (axis 0; 1 with transB) by B: blocks of the largest power of two ≥ 16
 *       dividing B, each repeating its B-block's scale and zero point;
 *   <li>per axis over N (axis 1; 0 with transB) or per tensor: blocks of {@value
 *       #WHOLE_COLUMN_BLOCK}, each repeating the column's (or the tensor's) scale and zero point.
 * </ul>
 *
 * What MatMulNBits cannot hold exactly (a scale per row of K, blocks along N or of a size with no
 * such power of two, values of 16 bits or more, scales other than float32) stays a DequantizeLinear
 * for the fold to widen to float32, and the MatMul says why in its attribute {@value #DECISION}
 * ({@code oclc inspect --after quantized-matmuls}).
 */
public final class QuantizedMatMuls implements Pass {
  /** The attribute that records why a MatMul of a quantized weight kept it as float32. */
  public static final String DECISION = "oclc.dequantized_weight";

  /** The block of a per-column or per-tensor scale: ONNX Runtime's usual size of 32. */
  static final int WHOLE_COLUMN_BLOCK = 32;

  @Override
  public String name() {
    return "quantized-matmuls";
  }

  /**
   * A DequantizeLinear's constant inputs: W [K, N] ({@code transposed}: [N, K], Gemm's transB), its
   * scale and zero point (or null).
   */
  private record Weight(
      Node node, Tensor values, Tensor scale, Tensor zeroPoint, boolean transposed) {
    long k() {
      return values.shape()[transposed ? 1 : 0];
    }

    long n() {
      return values.shape()[transposed ? 0 : 1];
    }

    /** The DequantizeLinear axis that runs along K. */
    int kAxis() {
      return transposed ? 1 : 0;
    }

    /** W's element (p along K, column j). */
    int index(long p, long j) {
      return (int) (transposed ? j * k() + p : p * n() + j);
    }

    /** The scale of (p, j) for blocks of {@code block} along K. */
    int blockedScale(long p, long j, long block) {
      return (int) (transposed ? j * Math.ceilDiv(k(), block) + p / block : (p / block) * n() + j);
    }
  }

  /** The MatMulNBits form of a weight: its inputs' tensors (zero points null when default). */
  private record Packed(
      BlockQuantization layout, long n, Tensor bytes, Tensor scales, Tensor zeroPoints) {}

  @Override
  public Graph apply(Graph graph) {
    Map<String, Node> producers = graph.producers();
    Map<String, Integer> readers = readers(graph);
    Map<String, Constant> constants = new LinkedHashMap<>(graph.constants());
    Set<String> taken = new HashSet<>(constants.keySet());
    graph.inputs().stream().map(ValueInfo::name).forEach(taken::add);
    graph.nodes().forEach(n -> taken.addAll(n.outputs()));
    Map<Node, Integer> replacedReads = new LinkedHashMap<>();
    List<Node> nodes = new ArrayList<>();
    boolean changed = false;
    for (Node node : graph.nodes()) {
      Optional<Weight> weight =
          isDefault(node, "MatMul")
              ? weight(graph, producers.get(node.inputs().get(1)), false)
              : isPlainGemm(graph, node)
                  ? weight(
                      graph,
                      producers.get(node.inputs().get(1)),
                      node.attributes().getInt("transB", 0) != 0)
                  : Optional.empty();
      if (weight.isEmpty() || !biasFits(graph, node, weight.get())) {
        nodes.add(node);
        continue;
      }
      changed = true;
      Weight w = weight.get();
      String refusal = refusal(w);
      if (refusal != null) {
        nodes.add(
            new Node(
                node.name(),
                node.domain(),
                node.opType(),
                node.inputs(),
                node.outputs(),
                node.attributes().with(DECISION, new Attribute.StringValue(refusal))));
        continue;
      }
      Packed packed = pack(w);
      List<String> inputs = new ArrayList<>(List.of(node.inputs().get(0)));
      inputs.add(add(constants, taken, node.name() + "/packed_weight", packed.bytes()));
      inputs.add(add(constants, taken, node.name() + "/scales", packed.scales()));
      boolean bias = node.inputs().size() > 2 && !node.inputs().get(2).isEmpty();
      if (packed.zeroPoints() != null) {
        inputs.add(add(constants, taken, node.name() + "/zero_points", packed.zeroPoints()));
      } else if (bias) {
        inputs.add("");
      }
      if (bias) {
        inputs.addAll(List.of("", node.inputs().get(2)));
      }
      Attributes attributes =
          Attributes.NONE
              .with("K", new Attribute.IntValue(packed.layout().length()))
              .with("N", new Attribute.IntValue(packed.n()))
              .with("bits", new Attribute.IntValue(packed.layout().bits()))
              .with("block_size", new Attribute.IntValue(packed.layout().blockSize()));
      nodes.add(
          new Node(
              node.name(), MicrosoftOps.DOMAIN, "MatMulNBits", inputs, node.outputs(), attributes));
      replacedReads.merge(w.node(), 1, Integer::sum);
    }
    if (!changed) {
      return graph;
    }
    // A DequantizeLinear whose every reader became MatMulNBits goes now, before the fold widens it.
    replacedReads.forEach(
        (dequantize, reads) -> {
          if (reads.equals(readers.get(dequantize.outputs().get(0)))) {
            nodes.remove(dequantize);
          }
        });
    Map<String, Long> opsets = new LinkedHashMap<>(graph.opsets());
    opsets.putIfAbsent(MicrosoftOps.DOMAIN, 1L);
    return new Graph(
        graph.name(),
        graph.inputs(),
        graph.outputs(),
        nodes,
        constants,
        graph.valueTypes(),
        graph.assertions(),
        opsets);
  }

  /**
   * The weight {@code producer} dequantizes, when it is a DequantizeLinear of constants, W a matrix
   * and the scale and zero point of the shapes and type its form needs (else DequantizeLinear's
   * inference reports the node).
   */
  private static Optional<Weight> weight(Graph graph, Node producer, boolean transposed) {
    if (producer == null || !isDefault(producer, "DequantizeLinear")) {
      return Optional.empty();
    }
    List<String> in = producer.inputs();
    Tensor values = data(graph, in.get(0));
    Tensor scale = in.size() > 1 ? data(graph, in.get(1)) : null;
    boolean hasZeroPoint = in.size() > 2 && !in.get(2).isEmpty();
    Tensor zeroPoint = hasZeroPoint ? data(graph, in.get(2)) : null;
    if (values == null
        || scale == null
        || (hasZeroPoint && zeroPoint == null)
        || values.shape().length != 2
        || (zeroPoint != null
            && (zeroPoint.dtype() != values.dtype() || zeroPoint.size() != scale.size()))) {
      return Optional.empty();
    }
    Weight weight = new Weight(producer, values, scale, zeroPoint, transposed);
    return scaleFits(weight) ? Optional.of(weight) : Optional.empty();
  }

  /** Whether the scale has the size of its form: 1, N per column, [ceil(K / B), N] blocked. */
  private static boolean scaleFits(Weight w) {
    long k = w.k();
    long n = w.n();
    long blockSize = w.node().attributes().getInt("block_size", 0);
    long[] scale = w.scale().shape();
    if (blockSize == 0) {
      return w.scale().size() == 1
          || (scale.length == 1 && (axis(w) == w.kAxis() || scale[0] == n));
    }
    long blocks = Math.ceilDiv(k, blockSize);
    long[] want = w.transposed() ? new long[] {n, blocks} : new long[] {blocks, n};
    return blockSize > 0 && (axis(w) != w.kAxis() || java.util.Arrays.equals(scale, want));
  }

  /** Why {@code w} cannot be MatMulNBits' weight exactly; null where it can. */
  private static String refusal(Weight w) {
    DType type = w.values().dtype();
    if (type != DType.INT8 && type != DType.UINT8) {
      return "DequantizeLinear of " + type + " values: MatMulNBits holds 4 or 8 bits; float32";
    }
    if (w.scale().dtype() != DType.FLOAT32) {
      return "DequantizeLinear with " + w.scale().dtype() + " scales: MatMulNBits' are float32";
    }
    long blockSize = w.node().attributes().getInt("block_size", 0);
    int axis = axis(w);
    if (blockSize == 0 && w.scale().size() == 1) {
      return null;
    }
    if (axis < 0) {
      return "DequantizeLinear's axis is out of range for a matrix: float32";
    }
    if (blockSize == 0 && axis == w.kAxis()) {
      return "a scale per row of K (axis "
          + axis
          + " without block_size) has no MatMulNBits form, whose"
          + " blocks run along K: the weight is folded to float32";
    }
    if (blockSize > 0 && axis != w.kAxis()) {
      return "blocks along N (axis "
          + axis
          + ") have no MatMulNBits form, whose blocks run along K: float32";
    }
    if (blockSize > 0 && blockFor(blockSize) == 0) {
      return "block_size "
          + blockSize
          + " is divided by no power of two ≥ 16 (MatMulNBits' block sizes): float32";
    }
    return null;
  }

  /** DequantizeLinear's axis over the matrix W (0 or 1), or -1 when out of range. */
  private static int axis(Weight w) {
    long axis = w.node().attributes().getInt("axis", 1);
    long normalized = axis < 0 ? axis + 2 : axis;
    return normalized == 0 || normalized == 1 ? (int) normalized : -1;
  }

  /** The largest power of two ≥ 16 dividing {@code blockSize}; 0 where none does. */
  static long blockFor(long blockSize) {
    long power = Long.lowestOneBit(blockSize);
    return power >= 16 ? power : 0;
  }

  /** {@code w} as MatMulNBits' inputs: column j of W is row j of the packed [N, blocks, bytes]. */
  private static Packed pack(Weight w) {
    long k = w.k();
    long n = w.n();
    long sourceBlock = w.node().attributes().getInt("block_size", 0);
    boolean perTensor = sourceBlock == 0 && w.scale().size() == 1;
    long block = sourceBlock == 0 ? WHOLE_COLUMN_BLOCK : blockFor(sourceBlock);
    boolean signed = w.values().dtype() == DType.INT8;
    // Scale index of (p along K, column j): per tensor, per column, or blocked rows of N.
    ScaleIndex index =
        perTensor
            ? (p, j) -> 0
            : sourceBlock == 0 ? (p, j) -> (int) j : (p, j) -> w.blockedScale(p, j, sourceBlock);
    boolean fourBits = fitsFourBits(w, signed);
    BlockQuantization layout = new BlockQuantization(fourBits ? 4 : 8, (int) block, k);
    int shift = signed ? layout.defaultZeroPoint() : 0;
    long blocks = layout.blocks();
    int[] values = new int[Math.toIntExact(n * k)];
    Tensor scales = Tensor.allocate(DType.FLOAT32, n * blocks);
    int[] zeroPoints = new int[Math.toIntExact(n * blocks)];
    boolean defaultZeroPoints = true;
    for (long j = 0; j < n; j++) {
      for (long p = 0; p < k; p++) {
        values[(int) (j * k + p)] = (int) w.values().getLong(w.index(p, j)) + shift;
      }
      for (long b = 0; b < blocks; b++) {
        int source = index.of(b * block, j);
        int slot = (int) (j * blocks + b);
        scales.setFloat(slot, w.scale().getFloat(source));
        int zero = (w.zeroPoint() == null ? 0 : (int) w.zeroPoint().getLong(source)) + shift;
        zeroPoints[slot] = zero;
        defaultZeroPoints &= zero == layout.defaultZeroPoint();
      }
    }
    byte[] bytes = layout.packRows(values, zeroPoints, n, blocks * layout.blockBytes());
    Tensor packedBytes =
        Tensor.wrap(
            DType.UINT8,
            new long[] {n, blocks, layout.blockBytes()},
            java.nio.ByteBuffer.wrap(bytes));
    return new Packed(
        layout,
        n,
        packedBytes,
        scales,
        defaultZeroPoints
            ? null
            : Tensor.wrap(
                DType.UINT8,
                new long[] {n * layout.zeroPointRowBytes()},
                java.nio.ByteBuffer.wrap(layout.packZeroPoints(zeroPoints, n))));
  }

  /** Whether every value and zero point lies in int4's range (signed) or uint4's. */
  private static boolean fitsFourBits(Weight w, boolean signed) {
    long low = signed ? -8 : 0;
    long high = signed ? 7 : 15;
    for (Tensor t :
        w.zeroPoint() == null ? List.of(w.values()) : List.of(w.values(), w.zeroPoint())) {
      for (int i = 0; i < t.size(); i++) {
        long v = t.getLong(i);
        if (v < low || v > high) {
          return false;
        }
      }
    }
    return true;
  }

  @FunctionalInterface
  private interface ScaleIndex {
    int of(long p, long column);
  }

  private static String add(
      Map<String, Constant> constants, Set<String> taken, String base, Tensor value) {
    String name = base;
    for (int i = 1; !taken.add(name); i++) {
      name = base + "_" + i;
    }
    constants.put(name, new Constant.Data(value));
    return name;
  }

  /**
   * A Gemm that is a product plus a bias: A not transposed, alpha 1, C absent or a constant of N
   * values at beta 1 (MatMulNBits' bias).
   */
  private static boolean isPlainGemm(Graph graph, Node node) {
    if (!isDefault(node, "Gemm")
        || node.attributes().getInt("transA", 0) != 0
        || node.attributes().getFloat("alpha", 1f) != 1f) {
      return false;
    }
    if (node.inputs().size() < 3 || node.inputs().get(2).isEmpty()) {
      return true;
    }
    Tensor c = data(graph, node.inputs().get(2));
    return c != null
        && node.attributes().getFloat("beta", 1f) == 1f
        && c.dtype() == DType.FLOAT32
        && c.shape().length >= 1
        && c.size() == c.shape()[c.shape().length - 1];
  }

  /** Whether a Gemm's C, where given, has W's N values. */
  private static boolean biasFits(Graph graph, Node node, Weight w) {
    if (node.opType().equals("MatMul")
        || node.inputs().size() < 3
        || node.inputs().get(2).isEmpty()) {
      return true;
    }
    return data(graph, node.inputs().get(2)).size() == w.n();
  }

  private static Tensor data(Graph graph, String value) {
    return graph.constants().get(value) instanceof Constant.Data(Tensor t) ? t : null;
  }

  private static boolean isDefault(Node node, String opType) {
    return node.opType().equals(opType) && node.domain().isEmpty();
  }

  /** How many nodes read each value, a graph output counting as one more. */
  private static Map<String, Integer> readers(Graph graph) {
    Map<String, Integer> readers = new LinkedHashMap<>();
    for (Node node : graph.nodes()) {
      for (String input : node.inputs()) {
        readers.merge(input, 1, Integer::sum);
      }
    }
    for (ValueInfo output : graph.outputs()) {
      readers.merge(output.name(), 1, Integer::sum);
    }
    return readers;
  }
}
