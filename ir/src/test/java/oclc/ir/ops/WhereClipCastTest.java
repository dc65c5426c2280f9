package oclc.ir.ops;

import static oclc.ir.ops.ElementwiseTesting.assertBools;
import static oclc.ir.ops.ElementwiseTesting.assertDoubles;
import static oclc.ir.ops.ElementwiseTesting.assertLongs;
import static oclc.ir.ops.ElementwiseTesting.bools;
import static oclc.ir.ops.ElementwiseTesting.doubles;
import static oclc.ir.ops.ElementwiseTesting.longs;
import static oclc.ir.ops.ElementwiseTesting.vector;
import static oclc.ir.ops.OpHarness.BATCH;
import static oclc.ir.ops.OpHarness.PAST;
import static oclc.ir.ops.OpHarness.SEQ;
import static oclc.ir.ops.OpHarness.op;
import static oclc.ir.ops.OpHarness.shape;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import oclc.ir.Attribute;
import oclc.ir.Attributes;
import oclc.ir.Constant;
import oclc.ir.DType;
import oclc.ir.Dim;
import oclc.ir.InferenceContext;
import oclc.ir.Node;
import oclc.ir.OpRegistry;
import oclc.ir.ShapeInferenceException;
import oclc.ir.Tensor;
import oclc.ir.TensorType;
import oclc.ir.UnsupportedFeatureException;
import org.junit.jupiter.api.Test;

/** Where, Clip (both opset forms), Cast and CastLike. */
class WhereClipCastTest {
  private static final DType F = DType.FLOAT32;
  private static final Dim KEYS = PAST.plus(SEQ);

  @Test
  void whereBroadcastsAllThreeInputsAndTakesTheBranchesType() {
    assertEquals(
        new TensorType(F, shape(BATCH, 4, SEQ, KEYS)),
        op("Where")
            .input(DType.BOOL, 1, 1, SEQ, KEYS)
            .input(F, BATCH, 4, SEQ, KEYS)
            .input(F)
            .infer()
            .get(0));
    assertThrows(
        ShapeInferenceException.class,
        () -> op("Where").input(F, 2).input(F, 2).input(F, 2).infer());
    assertThrows(
        ShapeInferenceException.class,
        () -> op("Where").input(DType.BOOL, 2).input(F, 2).input(DType.FLOAT64, 2).infer());
  }

  @Test
  void wherePicksElementwise() {
    Tensor condition = Tensor.ofBools(new long[] {2, 2}, true, false, false, true);
    Tensor picked =
        op("Where")
            .evaluate(condition, doubles(1, 2), Tensor.ofDoubles(DType.FLOAT64, new long[0], 9))
            .get(0);
    assertArrayEquals(new long[] {2, 2}, picked.shape());
    assertDoubles(picked, 1, 9, 9, 2);
    long big = (1L << 53) + 1;
    assertLongs(
        op("Where")
            .evaluate(bools(true, false), longs(DType.INT64, big, big), longs(DType.INT64, -big))
            .get(0),
        DType.INT64,
        big,
        -big);
  }

  @Test
  void clipBeforeOpset11ReadsAttributes() {
    assertDoubles(
        op("Clip")
            .opset(6)
            .attribute("min", -1f)
            .attribute("max", 1f)
            .evaluate(doubles(-2, 0.5, 3))
            .get(0),
        -1,
        0.5,
        1);
    assertDoubles(op("Clip").opset(6).attribute("max", 0f).evaluate(doubles(-2, 3)).get(0), -2, 0);
    assertDoubles(
        op("Clip").opset(6).evaluate(doubles(-2, Double.POSITIVE_INFINITY)).get(0),
        -2,
        Float.MAX_VALUE);
    assertThrows(
        ShapeInferenceException.class, () -> op("Clip").opset(6).input(DType.INT32, SEQ).infer());
  }

  @Test
  void clipFromOpset11ReadsOptionalInputs() {
    Tensor low = Tensor.ofDoubles(DType.FLOAT64, new long[0], -1);
    Tensor high = Tensor.ofDoubles(DType.FLOAT64, new long[0], 1);
    assertDoubles(
        op("Clip").evaluate(doubles(-2, 0.5, 3, Double.NaN), low, high).get(0),
        -1,
        0.5,
        1,
        Double.NaN);
    assertDoubles(op("Clip").evaluate(doubles(-2, 3), null, high).get(0), -2, 1);
    assertDoubles(op("Clip").evaluate(doubles(-2, 3), low).get(0), -1, 3);
    assertDoubles(
        op("Clip").evaluate(doubles(-2, 3), high, low).get(0), -1, -1); // min > max: all max
    assertEquals(
        new TensorType(F, shape(BATCH, SEQ)),
        op("Clip").input(F, BATCH, SEQ).input(F).input(F).infer().get(0));
    assertThrows(
        ShapeInferenceException.class, () -> op("Clip").input(F, SEQ).input(DType.FLOAT64).infer());
  }

  @Test
  void clipOnIntegersIsExactAndUnsignedAware() {
    Tensor low = Tensor.ofLongs(DType.INT64, new long[0], -(1L << 60));
    assertLongs(
        op("Clip").evaluate(longs(DType.INT64, Long.MIN_VALUE, 5), low).get(0),
        DType.INT64,
        -(1L << 60),
        5);
    Tensor high = Tensor.ofLongs(DType.UINT64, new long[0], Long.MIN_VALUE); // 2^63
    assertLongs(
        op("Clip").evaluate(longs(DType.UINT64, 1, -1L), null, high).get(0),
        DType.UINT64,
        1,
        Long.MIN_VALUE);
    assertLongs(op("Clip").evaluate(longs(DType.UINT8, 0, 200)).get(0), DType.UINT8, 0, 200);
  }

  @Test
  void castKeepsTheSymbolicShapeAndChangesTheType() {
    assertEquals(
        new TensorType(DType.FLOAT16, shape(BATCH, SEQ)),
        op("Cast")
            .input(DType.INT64, BATCH, SEQ)
            .attribute("to", (long) DType.FLOAT16.onnxCode())
            .infer()
            .get(0));
    assertEquals(
        new TensorType(DType.INT32, shape(SEQ)),
        op("CastLike").input(F, SEQ).input(DType.INT32, 1).infer().get(0));
    assertThrows(
        UnsupportedFeatureException.class,
        () -> op("Cast").input(F, SEQ).attribute("to", 17L).infer());
    Node toFloat8 =
        new Node(
            "cast",
            "",
            "Cast",
            List.of("x"),
            List.of("y"),
            new Attributes(Map.of("to", new Attribute.IntValue(17))));
    InferenceContext context =
        new InferenceContext(
            toFloat8, 23, List.of(new TensorType(F, shape(SEQ))), Arrays.asList((Constant) null));
    assertEquals(
        Optional.of("cast to element type 17 is not supported"),
        OpRegistry.standard().find(toFloat8).orElseThrow().unsupportedReason(context));
  }

  @Test
  void castFromFloatTruncatesTowardZeroAndWrapsToTheWidth() {
    assertLongs(cast(doubles(2.7, -2.7, 300.5), DType.INT32), DType.INT32, 2, -2, 300);
    assertLongs(cast(doubles(300.5, 255), DType.UINT8), DType.UINT8, 44, 255);
    assertLongs(
        cast(doubles(1e19), DType.UINT64),
        DType.UINT64,
        Long.parseUnsignedLong("10000000000000000000"));
    assertBools(cast(doubles(0, -0.5, Double.NaN), DType.BOOL), false, true, true);
  }

  @Test
  void castBetweenIntegersWrapsAndToFloatsReadsUnsigned() {
    assertLongs(cast(longs(DType.INT64, (1L << 32) + 5, -1), DType.INT32), DType.INT32, 5, -1);
    assertLongs(cast(longs(DType.INT8, -1), DType.UINT16), DType.UINT16, 0xFFFF);
    assertDoubles(cast(longs(DType.UINT64, -1L), DType.FLOAT64), 18446744073709551615.0);
    assertLongs(cast(bools(true, false), DType.INT64), DType.INT64, 1, 0);
    assertBools(cast(longs(DType.INT32, 0, -3), DType.BOOL), false, true);
  }

  @Test
  void castBetweenFloatsRoundsToTheTarget() {
    Tensor half = cast(doubles(1 / 3.0, 65504, 1e6), DType.FLOAT16);
    assertEquals(DType.FLOAT16, half.dtype());
    assertEquals(0.333251953125, half.getDouble(0));
    assertEquals(65504, half.getDouble(1));
    assertTrue(Double.isInfinite(half.getDouble(2)));
    assertDoubles(cast(vector(DType.BFLOAT16, 1.5), DType.FLOAT32), 1.5);
    Tensor like = op("CastLike").evaluate(doubles(2.5), longs(DType.INT16, 0)).get(0);
    assertLongs(like, DType.INT16, 2);
  }

  private static Tensor cast(Tensor x, DType to) {
    return op("Cast").attribute("to", (long) to.onnxCode()).evaluate(x).get(0);
  }
}
