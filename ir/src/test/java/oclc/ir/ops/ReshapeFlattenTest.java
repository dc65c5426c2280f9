package oclc.ir.ops;

import static oclc.ir.ops.ShapeOpCase.BATCH;
import static oclc.ir.ops.ShapeOpCase.SEQ;
import static oclc.ir.ops.ShapeOpCase.longs;
import static oclc.ir.ops.ShapeOpCase.node;
import static oclc.ir.ops.ShapeOpCase.shape;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import oclc.ir.DType;
import oclc.ir.DataDependentShapeException;
import oclc.ir.Dim;
import oclc.ir.ShapeInferenceException;
import oclc.ir.Tensor;
import org.junit.jupiter.api.Test;

/**
 * Reshape (0 copies, one -1 inferred, allowzero) and Flatten, over symbolic and concrete shapes.
 */
class ReshapeFlattenTest {
  private static final DType F = DType.FLOAT32;

  @Test
  void reshapeCopiesZerosAndInfersTheMinusOneExactlyOverSymbols() {
    assertEquals(
        shape(BATCH, SEQ, 4, 16),
        node("Reshape").input(F, BATCH, SEQ, 64).ints(0, 0, 4, -1).inferShape());
    assertEquals(
        shape(BATCH, SEQ, 4, 16),
        node("Reshape")
            .input(F, BATCH, SEQ, 64)
            .dims(BATCH, Dim.of(-1), Dim.of(4), Dim.of(16))
            .inferShape());
    assertEquals(
        shape(BATCH.times(SEQ), 64),
        node("Reshape").input(F, BATCH, SEQ, 64).ints(-1, 64).inferShape());
    assertEquals(
        shape(BATCH, SEQ, 64),
        node("Reshape").input(F, BATCH, SEQ, 4, 16).dims(BATCH, SEQ, Dim.of(64)).inferShape());
    assertEquals(
        shape(BATCH.times(SEQ).times(64)),
        node("Reshape").input(F, BATCH, SEQ, 64).ints(-1).inferShape());
    // Not divisible over the symbols: the quotient stays a floor division, never a guess.
    assertEquals(
        shape(SEQ.floorDiv(Dim.of(3)), 3), node("Reshape").input(F, SEQ).ints(-1, 3).inferShape());
  }

  @Test
  void reshapeWithAllowZeroKeepsZeroSizes() {
    assertEquals(
        shape(0, BATCH),
        node("Reshape")
            .attribute("allowzero", 1)
            .input(F, BATCH, 0)
            .dims(Dim.of(0), BATCH)
            .inferShape());
    assertEquals(shape(BATCH, 0), node("Reshape").input(F, BATCH, 0).ints(0, 0).inferShape());
    Tensor empty = Tensor.allocate(F, 0, 3);
    assertArrayEquals(
        new long[] {3, 0},
        node("Reshape").attribute("allowzero", 1).evaluateOne(empty, longs(3, 0)).shape());
    assertArrayEquals(new long[] {0, 3}, node("Reshape").evaluateOne(empty, longs(0, 3)).shape());
  }

  @Test
  void reshapeRejectsInvalidTargets() {
    assertThrows(
        ShapeInferenceException.class, () -> node("Reshape").input(F, 2, 3).ints(-1, -1).infer());
    assertThrows(
        ShapeInferenceException.class, () -> node("Reshape").input(F, 2, 3).ints(4).infer());
    assertThrows(
        ShapeInferenceException.class, () -> node("Reshape").input(F, 2, 3).ints(2, -2).infer());
    assertThrows(
        ShapeInferenceException.class, () -> node("Reshape").input(F, 2, 3).ints(0, 0, 0).infer());
    assertThrows(
        ShapeInferenceException.class,
        () -> node("Reshape").attribute("allowzero", 1).input(F, 2, 0).ints(0, -1).infer());
    assertThrows(
        DataDependentShapeException.class,
        () -> node("Reshape").input(F, BATCH, SEQ).input(DType.INT64, 2).infer());
    assertThrows(
        IllegalArgumentException.class,
        () -> node("Reshape").evaluate(Tensor.allocate(F, 2, 3), longs(5, -1)));
  }

  @Test
  void reshapeKeepsTheElementsInRowMajorOrder() {
    Tensor x = Tensor.ofLongs(DType.INT32, new long[] {2, 3}, 1, 2, 3, 4, 5, 6);
    Tensor y = node("Reshape").evaluateOne(x, longs(3, -1));
    assertEquals(DType.INT32, y.dtype());
    assertArrayEquals(new long[] {3, 2}, y.shape());
    assertArrayEquals(new long[] {1, 2, 3, 4, 5, 6}, y.toLongArray());
    assertArrayEquals(
        new long[] {2, 1, 3}, node("Reshape").evaluateOne(x, longs(0, 1, -1)).shape());
  }

  @Test
  void reshapeOfShapeArithmeticFolds() {
    assertEquals(List.of(BATCH, SEQ), node("Reshape").dims(BATCH, SEQ).ints(-1).fold().elements());
    assertArrayEquals(
        new long[] {2, 1}, node("Reshape").dims(BATCH, SEQ).ints(2, 1).fold().shape());
  }

  @Test
  void flattenJoinsTheDimsBeforeAndFromTheAxis() {
    assertEquals(
        shape(BATCH, SEQ.times(64)), node("Flatten").input(F, BATCH, SEQ, 64).inferShape());
    assertEquals(
        shape(BATCH.times(SEQ), 64),
        node("Flatten").attribute("axis", -1).input(F, BATCH, SEQ, 64).inferShape());
    assertEquals(
        shape(1, BATCH.times(SEQ)),
        node("Flatten").attribute("axis", 0).input(F, BATCH, SEQ).inferShape());
    assertEquals(
        shape(BATCH.times(SEQ), 1),
        node("Flatten").attribute("axis", 2).input(F, BATCH, SEQ).inferShape());
    assertThrows(
        ShapeInferenceException.class,
        () -> node("Flatten").attribute("axis", 3).input(F, BATCH, SEQ).infer());
    Tensor x = Tensor.ofFloats(new long[] {2, 2, 2}, 1, 2, 3, 4, 5, 6, 7, 8);
    Tensor y = node("Flatten").attribute("axis", 2).evaluateOne(x);
    assertArrayEquals(new long[] {4, 2}, y.shape());
    assertArrayEquals(new float[] {1, 2, 3, 4, 5, 6, 7, 8}, y.toFloatArray());
    assertArrayEquals(
        new long[] {1, 8}, node("Flatten").attribute("axis", 0).evaluateOne(x).shape());
  }
}
