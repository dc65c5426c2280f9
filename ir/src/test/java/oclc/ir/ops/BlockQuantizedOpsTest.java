package oclc.ir.ops;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import oclc.ir.Attribute;
import oclc.ir.Attributes;
import oclc.ir.Constant;
import oclc.ir.DType;
import oclc.ir.Dim;
import oclc.ir.EvaluationContext;
import oclc.ir.InferenceContext;
import oclc.ir.Node;
import oclc.ir.OpDefinition;
import oclc.ir.OpRegistry;
import oclc.ir.Shape;
import oclc.ir.ShapeInferenceException;
import oclc.ir.Tensor;
import oclc.ir.TensorType;
import org.junit.jupiter.api.Test;

/**
 * MatMulNBits and GatherBlockQuantized: shape inference over symbolic rows, the refusals, and the
 * reference on hand-packed values (low nibble first, default and packed zero points).
 */
class BlockQuantizedOpsTest {
  private static final Dim ROWS = Dim.symbol("sequence_length");
  private static final DType F = DType.FLOAT32, U8 = DType.UINT8;

  private static OpDefinition op(String type) {
    return OpRegistry.standard().find(MicrosoftOps.DOMAIN, type).orElseThrow();
  }

  private static Node node(String type, int inputs, Map<String, Long> attributes) {
    List<String> names = new ArrayList<>();
    for (int i = 0; i < inputs; i++) {
      names.add("in" + i);
    }
    Map<String, Attribute> values = new java.util.TreeMap<>();
    attributes.forEach((name, value) -> values.put(name, new Attribute.IntValue(value)));
    return new Node(
        "the_" + type, MicrosoftOps.DOMAIN, type, names, List.of("y"), new Attributes(values));
  }

  private static InferenceContext inference(Node node, TensorType... types) {
    List<Constant> known = new ArrayList<>(Arrays.asList(new Constant[types.length]));
    return new InferenceContext(node, 1, Arrays.asList(types), known);
  }

  private static TensorType type(DType dtype, Object... dims) {
    return new TensorType(
        dtype,
        new Shape(
            Arrays.stream(dims)
                .map(d -> d instanceof Dim dim ? dim : Dim.of(((Number) d).longValue()))
                .toList()));
  }

  private static Map<String, Long> nbits(long k, long n, long bits, long blockSize) {
    return Map.of("K", k, "N", n, "bits", bits, "block_size", blockSize);
  }

  @Test
  void matMulNBitsKeepsSymbolicRowsAndEndsInN() {
    // K=40 is not a multiple of the block: 3 blocks of 16, each 8 bytes at 4 bits
    Node node = node("MatMulNBits", 3, nbits(40, 24, 4, 16));
    InferenceContext context =
        inference(node, type(F, 1, ROWS, 40), type(U8, 24, 3, 8), type(F, 72));
    assertEquals(Optional.empty(), op("MatMulNBits").unsupportedReason(context));
    TensorType y = op("MatMulNBits").inferTypes(context).get(0);
    assertEquals(type(F, 1, ROWS, 24), y);
  }

  @Test
  void matMulNBitsRefusesWrongLayoutsNamingTheNode() {
    Node node = node("MatMulNBits", 3, nbits(32, 8, 8, 16));
    ShapeInferenceException wrongBlob =
        assertThrows(
            ShapeInferenceException.class,
            () ->
                op("MatMulNBits")
                    .inferTypes(
                        inference(node, type(F, ROWS, 32), type(U8, 8, 2, 8), type(F, 16))));
    assertTrue(wrongBlob.getMessage().contains("the_MatMulNBits"), wrongBlob.getMessage());
    assertTrue(wrongBlob.getMessage().contains("[8, 2, 16]"), wrongBlob.getMessage());
    assertThrows(
        ShapeInferenceException.class,
        () ->
            op("MatMulNBits")
                .inferTypes(inference(node, type(F, ROWS, 31), type(U8, 8, 2, 16), type(F, 16))));
    Node oddBlock = node("MatMulNBits", 3, nbits(32, 8, 8, 24));
    assertThrows(
        ShapeInferenceException.class,
        () ->
            op("MatMulNBits")
                .inferTypes(
                    inference(oddBlock, type(F, ROWS, 32), type(U8, 8, 2, 24), type(F, 16))));
  }

  @Test
  void matMulNBitsRefusesActOrderAndOtherBitWidths() {
    Node withGroupIndex = node("MatMulNBits", 5, nbits(32, 8, 4, 16));
    TensorType[] inputs = {
      type(F, ROWS, 32), type(U8, 8, 2, 8), type(F, 16), type(U8, 8), type(DType.INT32, 32)
    };
    assertTrue(
        op("MatMulNBits")
            .unsupportedReason(inference(withGroupIndex, inputs))
            .orElseThrow()
            .contains("g_idx"));
    Node twoBits = node("MatMulNBits", 3, nbits(32, 8, 2, 16));
    assertTrue(
        op("MatMulNBits")
            .unsupportedReason(
                inference(twoBits, type(F, ROWS, 32), type(U8, 8, 2, 4), type(F, 16)))
            .orElseThrow()
            .contains("bits=2"));
    Node halfActivations = node("MatMulNBits", 3, nbits(32, 8, 4, 16));
    assertTrue(
        op("MatMulNBits")
            .unsupportedReason(
                inference(
                    halfActivations,
                    type(DType.FLOAT16, ROWS, 32),
                    type(U8, 8, 2, 8),
                    type(DType.FLOAT16, 16)))
            .orElseThrow()
            .contains("float16"));
  }

  /** Bytes whose 4-bit values, low nibble first, are 0, 1, …, 15 then again. */
  private static Tensor countingNibbles(long... shape) {
    Tensor t = Tensor.allocate(U8, shape);
    for (int i = 0; i < t.size(); i++) {
      int low = (2 * i) & 15;
      t.setLong(i, low | ((low + 1) << 4));
    }
    return t;
  }

  @Test
  void matMulNBitsDequantizesLowNibbleFirstAroundEight() {
    Node node = node("MatMulNBits", 6, nbits(16, 1, 4, 16));
    float[] a = new float[16];
    for (int p = 0; p < 16; p++) {
      a[p] = p;
    }
    List<Tensor> inputs =
        Arrays.asList(
            Tensor.ofFloats(new long[] {1, 16}, a),
            countingNibbles(1, 1, 8),
            Tensor.ofFloats(new long[] {1}, 0.5f),
            null,
            null,
            Tensor.ofFloats(new long[] {1}, 1f));
    Node sparse =
        new Node(
            node.name(),
            node.domain(),
            node.opType(),
            List.of("in0", "in1", "in2", "", "", "in5"),
            node.outputs(),
            node.attributes());
    Tensor y = op("MatMulNBits").evaluate(new EvaluationContext(sparse, 1, inputs)).get(0);
    // Σ p·(p − 8)·0.5 over p < 16, plus the bias
    assertArrayEquals(new float[] {141f}, y.toFloatArray());
  }

  @Test
  void matMulNBitsReadsPackedZeroPointsPerBlock() {
    Node node = node("MatMulNBits", 4, nbits(32, 1, 4, 16));
    float[] ones = new float[32];
    Arrays.fill(ones, 1f);
    Tensor zeroPoints = Tensor.allocate(U8, 1);
    zeroPoints.setLong(0, 0x31); // block 0: 1, block 1: 3
    Tensor y =
        op("MatMulNBits")
            .evaluate(
                new EvaluationContext(
                    node,
                    1,
                    List.of(
                        Tensor.ofFloats(new long[] {32}, ones),
                        countingNibbles(1, 2, 8),
                        Tensor.ofFloats(new long[] {2}, 1f, 2f),
                        zeroPoints)))
            .get(0);
    // block 0: Σ (p − 1), block 1: 2·Σ (p − 3), p < 16
    assertArrayEquals(new float[] {(120 - 16) + 2 * (120 - 48)}, y.toFloatArray());
  }

  @Test
  void matMulNBitsOfEightBitsReadsWholeBytesAround128() {
    Node node = node("MatMulNBits", 3, nbits(16, 2, 8, 16));
    Tensor b = Tensor.allocate(U8, 2, 1, 16);
    for (int i = 0; i < 32; i++) {
      b.setLong(i, 120 + i);
    }
    float[] ones = new float[16];
    Arrays.fill(ones, 1f);
    Tensor y =
        op("MatMulNBits")
            .evaluate(
                new EvaluationContext(
                    node,
                    1,
                    List.of(
                        Tensor.ofFloats(new long[] {1, 16}, ones),
                        b,
                        Tensor.ofFloats(new long[] {2, 1}, 1f, 0.25f))))
            .get(0);
    // row 0: Σ (120 + p − 128); row 1: 0.25·Σ (136 + p − 128)
    assertArrayEquals(new float[] {-8, 0.25f * (128 + 120)}, y.toFloatArray());
  }

  private static Map<String, Long> gather(long bits, long blockSize) {
    return Map.of("bits", bits, "block_size", blockSize, "gather_axis", 0L, "quantize_axis", 1L);
  }

  @Test
  void gatherBlockQuantizedUnpacksTheLastAxisAndTakesTheIndicesShape() {
    Node node = node("GatherBlockQuantized", 3, gather(4, 16));
    InferenceContext context =
        inference(node, type(U8, 50, 32), type(DType.INT64, 1, ROWS), type(F, 50, 4));
    assertEquals(Optional.empty(), op("GatherBlockQuantized").unsupportedReason(context));
    assertEquals(type(F, 1, ROWS, 64), op("GatherBlockQuantized").inferTypes(context).get(0));
    assertThrows(
        ShapeInferenceException.class,
        () ->
            op("GatherBlockQuantized")
                .inferTypes(
                    inference(node, type(U8, 50, 32), type(DType.INT64, 1, ROWS), type(F, 50, 2))));
  }

  @Test
  void gatherBlockQuantizedRefusesOtherDataAndAxes() {
    Node node = node("GatherBlockQuantized", 3, gather(4, 16));
    String signed =
        op("GatherBlockQuantized")
            .unsupportedReason(
                inference(node, type(DType.INT8, 50, 32), type(DType.INT64, 3), type(F, 50, 4)))
            .orElseThrow();
    assertTrue(signed.contains("int4/uint4"), signed);
    Node otherAxis =
        node(
            "GatherBlockQuantized",
            3,
            Map.of("bits", 4L, "block_size", 16L, "gather_axis", 1L, "quantize_axis", 0L));
    assertTrue(
        op("GatherBlockQuantized")
            .unsupportedReason(
                inference(otherAxis, type(U8, 50, 32), type(DType.INT64, 3), type(F, 4, 32)))
            .isPresent());
  }

  @Test
  void gatherBlockQuantizedDequantizesTheChosenRows() {
    Node node = node("GatherBlockQuantized", 3, gather(4, 16));
    Tensor data = Tensor.allocate(U8, 3, 8);
    for (int r = 0; r < 3; r++) {
      for (int j = 0; j < 8; j++) {
        data.setLong(r * 8 + j, ((r + 2 * j) & 15) | (((r + 2 * j + 1) & 15) << 4));
      }
    }
    Tensor y =
        op("GatherBlockQuantized")
            .evaluate(
                new EvaluationContext(
                    node,
                    1,
                    List.of(
                        data,
                        Tensor.ofLongs(new long[] {2}, 2, -3),
                        Tensor.ofFloats(new long[] {3, 1}, 1f, 2f, 0.5f))))
            .get(0);
    assertArrayEquals(new long[] {2, 16}, y.shape());
    float[] expected = new float[32];
    for (int p = 0; p < 16; p++) {
      expected[p] = (((2 + p) & 15) - 8) * 0.5f;
      expected[16 + p] = ((p & 15) - 8) * 1f;
    }
    assertArrayEquals(expected, y.toFloatArray());
  }
}
