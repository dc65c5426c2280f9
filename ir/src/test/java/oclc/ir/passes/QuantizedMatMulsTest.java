package oclc.ir.passes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import oclc.ir.Attribute;
import oclc.ir.Attributes;
import oclc.ir.Constant;
import oclc.ir.DType;
import oclc.ir.Dim;
import oclc.ir.Graph;
import oclc.ir.Node;
import oclc.ir.Tensor;
import oclc.ir.ValueInfo;
import oclc.ir.exec.Comparison;
import oclc.ir.exec.ReferenceExecutor;
import org.junit.jupiter.api.Test;

/**
 * quantized-matmuls: MatMul of a constant DequantizeLinear becomes MatMulNBits of the same values
 * (the product the float32 fold of the weight gives), with the bits and block the values allow;
 * what MatMulNBits cannot hold stays for the fold, the MatMul saying why.
 */
class QuantizedMatMulsTest {
  private static final Dim ROWS = Dim.symbol("rows");

  /** MatMul(a [rows, k], DequantizeLinear(w [k, n], scale, zero point)), opset 21. */
  private static Graph model(
      Tensor w, Tensor scale, Tensor zeroPoint, long axis, long blockSize, long k) {
    Map<String, Constant> constants = new LinkedHashMap<>();
    constants.put("w", new Constant.Data(w));
    constants.put("scale", new Constant.Data(scale));
    List<String> inputs = new ArrayList<>(List.of("w", "scale"));
    if (zeroPoint != null) {
      constants.put("zero_point", new Constant.Data(zeroPoint));
      inputs.add("zero_point");
    }
    Attributes attributes =
        Attributes.NONE
            .with("axis", new Attribute.IntValue(axis))
            .with("block_size", new Attribute.IntValue(blockSize));
    return new Graph(
        "quantized",
        List.of(ValueInfo.float32("a", ROWS, Dim.of(k))),
        List.of(ValueInfo.float32("y")),
        List.of(
            new Node("dequantize", "", "DequantizeLinear", inputs, List.of("w_float"), attributes),
            Node.of("product", "MatMul", "a", "w_float", "y")),
        constants,
        Map.of(),
        List.of(),
        Map.of("", 21L));
  }

  private static Tensor integers(Random random, DType type, long low, long high, long... shape) {
    Tensor t = Tensor.allocate(type, shape);
    for (int i = 0; i < t.size(); i++) {
      t.setLong(i, low + random.nextInt((int) (high - low + 1)));
    }
    return t;
  }

  private static Tensor positive(Random random, long... shape) {
    Tensor t = Tensor.allocate(DType.FLOAT32, shape);
    for (int i = 0; i < t.size(); i++) {
      t.setFloat(i, 0.01f + random.nextFloat() * 0.1f);
    }
    return t;
  }

  /** The MatMulNBits node the pass made, after checking the product against the float32 fold. */
  private static Node quantizedAndSame(Graph model, long k) {
    Graph quantized = Passes.runStandard(model);
    Graph folded = new EliminateDeadCode().apply(new InferAndFold().apply(model));
    assertTrue(
        quantized.nodes().stream().noneMatch(n -> n.opType().equals("DequantizeLinear")),
        "the DequantizeLinear read only by the product is gone");
    Random random = new Random(5);
    for (long rows : new long[] {1, 17}) {
      Tensor a = Tensor.allocate(DType.FLOAT32, rows, k);
      for (int i = 0; i < a.size(); i++) {
        a.setFloat(i, (float) random.nextGaussian());
      }
      Tensor expected = new ReferenceExecutor().run(folded, Map.of("a", a)).get("y");
      Tensor actual = new ReferenceExecutor().run(quantized, Map.of("a", a)).get("y");
      double error = Comparison.relativeL2(expected, actual);
      assertTrue(error < 1e-6, "relative L2 " + error + " at " + rows + " rows");
    }
    return quantized.nodes().stream()
        .filter(n -> n.opType().equals("MatMulNBits"))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no MatMulNBits in " + quantized.nodes()));
  }

  private static void assertForm(Node node, long bits, long blockSize, int inputs) {
    assertEquals("com.microsoft", node.domain());
    assertEquals(bits, node.attributes().getInt("bits"), "bits");
    assertEquals(blockSize, node.attributes().getInt("block_size"), "block_size");
    assertEquals(inputs, node.inputs().size(), "inputs " + node.inputs());
  }

  @Test
  void int8PerColumnIsEightBitsInBlocksOf32WithZeroPointsShiftedBy128() {
    Random random = new Random(1);
    long k = 40; // a short last block
    Graph model =
        model(
            integers(random, DType.INT8, -128, 127, k, 6),
            positive(random, 6),
            integers(random, DType.INT8, -128, 127, 6),
            1,
            0,
            k);
    assertForm(quantizedAndSame(model, k), 8, 32, 4);
  }

  @Test
  void int8PerColumnWithoutZeroPointsNeedsNone() {
    Random random = new Random(2);
    long k = 64;
    Graph model =
        model(integers(random, DType.INT8, -128, 127, k, 5), positive(random, 5), null, 1, 0, k);
    assertForm(quantizedAndSame(model, k), 8, 32, 3);
  }

  @Test
  void uint8BlockedBy64KeepsItsBlocks() {
    Random random = new Random(3);
    long k = 160; // two whole blocks and a half one
    Graph model =
        model(
            integers(random, DType.UINT8, 0, 255, k, 7),
            positive(random, 3, 7),
            integers(random, DType.UINT8, 0, 255, 3, 7),
            0,
            64,
            k);
    assertForm(quantizedAndSame(model, k), 8, 64, 4);
  }

  @Test
  void int4RangeBlockedBy48IsFourBitsInBlocksOf16() {
    Random random = new Random(4);
    long k = 96;
    Graph model =
        model(
            integers(random, DType.INT8, -8, 7, k, 5),
            positive(random, 2, 5),
            integers(random, DType.INT8, -8, 7, 2, 5),
            0,
            48,
            k);
    assertForm(quantizedAndSame(model, k), 4, 16, 4);
  }

  @Test
  void uint4RangePerTensorWithoutZeroPointIsFourBitsWithZeroPointsOfZero() {
    Random random = new Random(6);
    long k = 33;
    Graph model =
        model(
            integers(random, DType.UINT8, 0, 15, k, 4),
            Tensor.ofFloats(new long[0], 0.25f),
            null,
            1,
            0,
            k);
    assertForm(quantizedAndSame(model, k), 4, 32, 4);
  }

  @Test
  void aScalePerRowOfKStaysForTheFoldAndTheMatMulSaysWhy() {
    Random random = new Random(7);
    long k = 32;
    Graph model =
        model(integers(random, DType.INT8, -128, 127, k, 4), positive(random, k), null, 0, 0, k);
    Graph after = new QuantizedMatMuls().apply(model);
    Node product =
        after.nodes().stream().filter(n -> n.name().equals("product")).findFirst().orElseThrow();
    assertEquals("MatMul", product.opType());
    assertTrue(
        product.attributes().getString(QuantizedMatMuls.DECISION).contains("per row of K"),
        product.attributes().toString());
    Graph standard = Passes.runStandard(model);
    assertTrue(standard.nodes().stream().noneMatch(n -> n.opType().equals("DequantizeLinear")));
  }

  @Test
  void int16ValuesStayForTheFold() {
    Random random = new Random(8);
    long k = 32;
    Graph model =
        model(integers(random, DType.INT16, -1000, 1000, k, 4), positive(random, 4), null, 1, 0, k);
    Node product =
        new QuantizedMatMuls()
            .apply(model).nodes().stream()
                .filter(n -> n.name().equals("product"))
                .findFirst()
                .orElseThrow();
    assertTrue(product.attributes().getString(QuantizedMatMuls.DECISION).contains("int16"));
  }

  @Test
  void aWeightReadByTwoProductsMakesBothMatMulNBitsAndIsNotWidened() {
    Random random = new Random(9);
    long k = 32;
    Graph one =
        model(integers(random, DType.INT8, -128, 127, k, 4), positive(random, 4), null, 1, 0, k);
    List<Node> nodes = new ArrayList<>(one.nodes());
    nodes.add(Node.of("again", "MatMul", "a", "w_float", "y2"));
    Graph two =
        new Graph(
            one.name(),
            one.inputs(),
            List.of(ValueInfo.float32("y"), ValueInfo.float32("y2")),
            nodes,
            one.constants(),
            Map.of(),
            List.of(),
            one.opsets());
    Graph after = new QuantizedMatMuls().apply(two);
    assertEquals(
        List.of("MatMulNBits", "MatMulNBits"), after.nodes().stream().map(Node::opType).toList());
  }

  /** Gemm(a, DequantizeLinear(w [n, k]), bias) with transB, the DequantizeLinear of {@code w}. */
  private static Graph gemm(Tensor w, Tensor scale, long axis, long blockSize, Tensor bias) {
    long n = w.shape()[0];
    long k = w.shape()[1];
    Graph matmul = model(w, scale, null, axis, blockSize, k);
    Map<String, Constant> constants = new LinkedHashMap<>(matmul.constants());
    constants.put("bias", new Constant.Data(bias));
    Node product =
        new Node(
            "product",
            "",
            "Gemm",
            List.of("a", "w_float", "bias"),
            List.of("y"),
            Attributes.NONE.with("transB", new Attribute.IntValue(1)));
    return new Graph(
        "gemm",
        matmul.inputs(),
        List.of(ValueInfo.float32("y")),
        List.of(matmul.nodes().get(0), product),
        constants,
        Map.of(),
        List.of(),
        matmul.opsets());
  }

  @Test
  void gemmOfATransposedWeightWithABiasIsMatMulNBitsWithTheBias() {
    Random random = new Random(10);
    long k = 64;
    long n = 6;
    Tensor bias = positive(random, n);
    Node perColumn =
        quantizedAndSame(
            gemm(integers(random, DType.INT8, -128, 127, n, k), positive(random, n), 0, 0, bias),
            k);
    assertForm(perColumn, 8, 32, 6);
    Node blocked =
        quantizedAndSame(
            gemm(integers(random, DType.INT8, -8, 7, n, k), positive(random, n, 2), 1, 32, bias),
            k);
    assertForm(blocked, 4, 32, 6);
    assertEquals("bias", blocked.inputs().get(5));
  }

  @Test
  void blockSizesThatNoPowerOfTwoFromSixteenDivides() {
    assertEquals(16, QuantizedMatMuls.blockFor(48));
    assertEquals(128, QuantizedMatMuls.blockFor(128));
    assertEquals(0, QuantizedMatMuls.blockFor(24));
  }
}
