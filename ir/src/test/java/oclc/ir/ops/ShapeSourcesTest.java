package oclc.ir.ops;

import static oclc.ir.ops.ShapeOpCase.BATCH;
import static oclc.ir.ops.ShapeOpCase.PAST;
import static oclc.ir.ops.ShapeOpCase.SEQ;
import static oclc.ir.ops.ShapeOpCase.longs;
import static oclc.ir.ops.ShapeOpCase.node;
import static oclc.ir.ops.ShapeOpCase.shape;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import oclc.ir.Attribute;
import oclc.ir.DType;
import oclc.ir.Dim;
import oclc.ir.ShapeInferenceException;
import oclc.ir.SymbolicTensor;
import oclc.ir.Tensor;
import oclc.ir.TensorType;
import oclc.ir.UnsupportedFeatureException;
import org.junit.jupiter.api.Test;

/** Range, ConstantOfShape, Constant, Expand, Identity and Dropout. */
class ShapeSourcesTest {
  private static final DType F = DType.FLOAT32;
  private static final Dim KEYS = PAST.plus(SEQ);

  private static Tensor scalar(long value) {
    return Tensor.scalarLong(value);
  }

  @Test
  void rangeLengthIsTheCeilingOfTheSpanOverDeltaAndNeverNegative() {
    assertEquals(
        shape(SEQ),
        node("Range")
            .constant(scalar(0))
            .symbolic(SymbolicTensor.scalar(DType.INT64, SEQ))
            .constant(scalar(1))
            .inferShape());
    assertEquals(shape(SEQ), node("Range").dims(PAST).dims(KEYS).ints(1).inferShape());
    assertEquals(
        shape(SEQ.plus(2).floorDiv(Dim.of(3))),
        node("Range").dims(Dim.of(0)).dims(SEQ).ints(3).inferShape());
    assertEquals(
        shape(0),
        node("Range").constant(scalar(5)).constant(scalar(1)).constant(scalar(1)).inferShape());
    assertEquals(
        shape(3),
        node("Range")
            .constant(Tensor.ofFloats(new long[0], 1))
            .constant(Tensor.ofFloats(new long[0], 2))
            .constant(Tensor.ofFloats(new long[0], 0.4f))
            .inferShape());
    assertThrows(
        ShapeInferenceException.class, () -> node("Range").ints(0).ints(4).ints(0).infer());
    assertThrows(
        ShapeInferenceException.class,
        () -> node("Range").input(DType.INT64).input(DType.INT32).input(DType.INT64).infer());
  }

  @Test
  void rangeEvaluatesOverIntegersFloatsAndSmallDims() {
    Tensor down =
        node("Range")
            .evaluateOne(
                Tensor.ofLongs(DType.INT32, new long[0], 10),
                Tensor.ofLongs(DType.INT32, new long[0], 4),
                Tensor.ofLongs(DType.INT32, new long[0], -3));
    assertEquals(DType.INT32, down.dtype());
    assertArrayEquals(new long[] {10, 7}, down.toLongArray());
    Tensor halves =
        node("Range")
            .evaluateOne(
                Tensor.ofFloats(new long[0], 1),
                Tensor.ofFloats(new long[0], 2.5f),
                Tensor.ofFloats(new long[0], 0.5f));
    assertArrayEquals(new float[] {1, 1.5f, 2}, halves.toFloatArray());
    assertEquals(
        List.of(PAST, PAST.plus(2), PAST.plus(4)),
        node("Range").dims(PAST).dims(PAST.plus(5)).ints(2).fold().elements());
  }

  @Test
  void constantOfShapeFillsASymbolicShapeWithTheValue() {
    assertEquals(
        new TensorType(F, shape(BATCH, SEQ)),
        node("ConstantOfShape").dims(BATCH, SEQ).infer().get(0));
    Tensor seven = Tensor.ofLongs(DType.INT32, new long[] {1}, 7);
    assertEquals(
        new TensorType(DType.INT32, shape(1, KEYS)),
        node("ConstantOfShape").attribute("value", seven).dims(Dim.of(1), KEYS).infer().get(0));
    Tensor filled = node("ConstantOfShape").attribute("value", seven).evaluateOne(longs(2, 3));
    assertArrayEquals(new long[] {2, 3}, filled.shape());
    assertArrayEquals(new long[] {7, 7, 7, 7, 7, 7}, filled.toLongArray());
    Tensor zeros = node("ConstantOfShape").evaluateOne(longs(2));
    assertEquals(F, zeros.dtype());
    assertArrayEquals(new float[] {0, 0}, zeros.toFloatArray());
    assertEquals(0, node("ConstantOfShape").evaluateOne(longs(0, 4)).size());
    assertEquals(
        List.of(Dim.of(7), Dim.of(7)),
        node("ConstantOfShape").attribute("value", seven).ints(2).fold().elements());
    assertThrows(ShapeInferenceException.class, () -> node("ConstantOfShape").ints(2, -1).infer());
  }

  @Test
  void constantComesFromAnyOfItsValueAttributes() {
    assertArrayEquals(
        new float[] {2.5f},
        node("Constant")
            .attribute("value_float", new Attribute.FloatValue(2.5f))
            .evaluateOne()
            .toFloatArray());
    assertArrayEquals(
        new long[] {3, -4},
        node("Constant").attribute("value_ints", new long[] {3, -4}).evaluateOne().toLongArray());
    assertEquals(
        new TensorType(DType.INT64, shape()),
        node("Constant").attribute("value_int", 9).infer().get(0));
    assertEquals(
        new TensorType(F, shape(2)),
        node("Constant")
            .attribute("value_floats", new Attribute.Floats(new float[] {1, 2}))
            .infer()
            .get(0));
    Tensor value = Tensor.ofLongs(DType.INT8, new long[] {2, 1}, -1, 5);
    assertEquals(
        new TensorType(DType.INT8, shape(2, 1)),
        node("Constant").attribute("value", value).infer().get(0));
  }

  @Test
  void constantStringsAndSparseValuesAreReportedUnsupported() {
    ShapeOpCase strings =
        node("Constant").attribute("value_strings", new Attribute.Strings(List.of("a")));
    assertTrue(strings.unsupportedReason().orElseThrow().contains("value_strings"));
    assertThrows(UnsupportedFeatureException.class, strings::infer);
    assertTrue(node("Constant").attribute("value_int", 1).unsupportedReason().isEmpty());
  }

  @Test
  void expandBroadcastsBothWaysAndKeepsSymbols() {
    assertEquals(
        shape(BATCH, 4, SEQ, KEYS),
        node("Expand")
            .input(F, 1, 1, SEQ, KEYS)
            .dims(BATCH, Dim.of(4), Dim.of(1), Dim.of(1))
            .inferShape());
    assertEquals(shape(3, SEQ), node("Expand").input(F, 3, 1).dims(Dim.of(1), SEQ).inferShape());
    assertEquals(shape(2, 3, 4), node("Expand").input(F, 3, 4).ints(2, 1, 1).inferShape());
    assertThrows(
        ShapeInferenceException.class, () -> node("Expand").input(F, 3, 4).ints(2, 4).infer());
    Tensor column = Tensor.ofFloats(new long[] {2, 1}, 1, 2);
    Tensor grown = node("Expand").evaluateOne(column, longs(2, 3));
    assertArrayEquals(new long[] {2, 3}, grown.shape());
    assertArrayEquals(new float[] {1, 1, 1, 2, 2, 2}, grown.toFloatArray());
    assertArrayEquals(
        new long[] {2, 2, 1}, node("Expand").evaluateOne(column, longs(2, 1, 1)).shape());
    assertEquals(List.of(SEQ, SEQ), node("Expand").dims(SEQ).ints(2).fold().elements());
  }

  @Test
  void identityPassesTheValueAndItsDims() {
    assertEquals(
        new TensorType(DType.BOOL, shape(1, 1, SEQ, KEYS)),
        node("Identity").input(DType.BOOL, 1, 1, SEQ, KEYS).infer().get(0));
    assertEquals(List.of(BATCH, SEQ), node("Identity").dims(BATCH, SEQ).fold().elements());
    Tensor x = Tensor.ofLongs(DType.UINT16, new long[] {2}, 65535, 3);
    assertArrayEquals(new long[] {65535, 3}, node("Identity").evaluateOne(x).toLongArray());
  }

  @Test
  void dropoutAtInferenceIsIdentityWithAnAllTrueMask() {
    List<TensorType> types = node("Dropout").outputs(2).input(F, BATCH, SEQ).infer();
    assertEquals(new TensorType(F, shape(BATCH, SEQ)), types.get(0));
    assertEquals(new TensorType(DType.BOOL, shape(BATCH, SEQ)), types.get(1));
    assertEquals(F, node("Dropout").opset(7).outputs(2).input(F, BATCH).infer().get(1).dtype());
    Tensor x = Tensor.ofFloats(new long[] {3}, 1, -2, 3);
    Tensor falseFlag = Tensor.ofBools(new long[0], false);
    List<Tensor> out =
        node("Dropout").outputs(2).evaluate(x, Tensor.ofFloats(new long[0], 0.3f), falseFlag);
    assertArrayEquals(new float[] {1, -2, 3}, out.get(0).toFloatArray());
    assertEquals(DType.BOOL, out.get(1).dtype());
    assertArrayEquals(new long[] {1, 1, 1}, out.get(1).toLongArray());
    List<SymbolicTensor> folded =
        node("Dropout").outputs(2).dims(BATCH, SEQ).foldAll().orElseThrow();
    assertEquals(List.of(BATCH, SEQ), folded.get(0).elements());
    assertEquals(List.of(Dim.of(1), Dim.of(1)), folded.get(1).elements());
  }

  @Test
  void dropoutInTrainingModeIsUnsupportedUnlessItsRatioIsZero() {
    Tensor trueFlag = Tensor.ofBools(new long[0], true);
    assertTrue(
        node("Dropout")
            .input(F, 3)
            .constant(Tensor.ofFloats(new long[0], 0.5f))
            .constant(trueFlag)
            .unsupportedReason()
            .isPresent());
    assertTrue(
        node("Dropout")
            .input(F, 3)
            .constant(Tensor.ofFloats(new long[0], 0f))
            .constant(trueFlag)
            .unsupportedReason()
            .isEmpty());
    Tensor x = Tensor.ofFloats(new long[] {2}, 4, 5);
    assertArrayEquals(
        new float[] {4, 5},
        node("Dropout").evaluateOne(x, Tensor.ofFloats(new long[0], 0f), trueFlag).toFloatArray());
    assertThrows(
        UnsupportedFeatureException.class, () -> node("Dropout").evaluate(x, null, trueFlag));
  }
}
