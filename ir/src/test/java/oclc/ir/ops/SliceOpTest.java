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
import oclc.ir.DType;
import oclc.ir.Dim;
import oclc.ir.ShapeInferenceException;
import oclc.ir.Tensor;
import org.junit.jupiter.api.Test;

/** Slice: attribute and input forms, negative steps, clamping, and symbolic bounds. */
class SliceOpTest {
  private static final DType F = DType.FLOAT32;
  private static final Dim KEYS = PAST.plus(SEQ);
  private static final long INT64_MAX = Long.MAX_VALUE;

  private static final Tensor X =
      Tensor.ofFloats(new long[] {3, 4}, 0, 1, 2, 3, 10, 11, 12, 13, 20, 21, 22, 23);

  private static Tensor slice(long[] starts, long[] ends, long[] axes, long[] steps) {
    return node("Slice")
        .evaluateOne(
            X,
            longs(starts),
            longs(ends),
            axes == null ? null : longs(axes),
            steps == null ? null : longs(steps));
  }

  @Test
  void slicesWithPositiveAndNegativeStepsAsNumpyDoes() {
    Tensor a = slice(new long[] {1, 1}, new long[] {3, 4}, null, new long[] {1, 2});
    assertArrayEquals(new long[] {2, 2}, a.shape());
    assertArrayEquals(new float[] {11, 13, 21, 23}, a.toFloatArray());
    Tensor reversed =
        slice(new long[] {-1}, new long[] {-INT64_MAX}, new long[] {1}, new long[] {-1});
    assertArrayEquals(
        new float[] {3, 2, 1, 0, 13, 12, 11, 10, 23, 22, 21, 20}, reversed.toFloatArray());
    Tensor everyOther =
        slice(new long[] {INT64_MAX}, new long[] {0}, new long[] {-1}, new long[] {-2});
    assertArrayEquals(new long[] {3, 2}, everyOther.shape());
    assertArrayEquals(new float[] {3, 1, 13, 11, 23, 21}, everyOther.toFloatArray());
  }

  @Test
  void clampsOutOfRangeBoundsAsTheSpecSays() {
    assertArrayEquals(
        new long[] {3, 0},
        slice(new long[] {1000}, new long[] {2000}, new long[] {1}, null).shape());
    assertArrayEquals(
        new float[] {2, 3, 12, 13, 22, 23},
        slice(new long[] {-2}, new long[] {1000}, new long[] {-1}, null).toFloatArray());
    assertArrayEquals(
        new float[] {0, 1, 10, 11, 20, 21},
        slice(new long[] {-1000}, new long[] {2}, new long[] {1}, null).toFloatArray());
    assertArrayEquals(new long[] {0, 4}, slice(new long[] {2}, new long[] {1}, null, null).shape());
    // A negative step from before the start clamps the start to 0: one element.
    assertArrayEquals(
        new float[] {0, 10, 20},
        slice(new long[] {-1000}, new long[] {-INT64_MAX}, new long[] {1}, new long[] {-1})
            .toFloatArray());
  }

  @Test
  void readsStartsAndEndsFromAttributesBeforeOpset10() {
    ShapeOpCase old =
        node("Slice")
            .opset(9)
            .attribute("starts", new long[] {0, 1})
            .attribute("ends", new long[] {-1, 1000})
            .attribute("axes", new long[] {0, 1});
    Tensor y = old.evaluateOne(X);
    assertArrayEquals(new long[] {2, 3}, y.shape());
    assertArrayEquals(new float[] {1, 2, 3, 11, 12, 13}, y.toFloatArray());
    assertEquals(
        shape(BATCH, 3),
        node("Slice")
            .opset(9)
            .input(F, BATCH, 4)
            .attribute("starts", new long[] {1})
            .attribute("ends", new long[] {4})
            .attribute("axes", new long[] {1})
            .inferShape());
  }

  @Test
  void causalMaskSliceIsSymbolicUnderOneAssumption() {
    ShapeOpCase rows =
        node("Slice").input(DType.BOOL, 1, 1, 128, 128).dims(PAST).dims(KEYS).ints(2);
    assertEquals(shape(1, 1, SEQ, 128), rows.inferShape());
    assertEquals(1, rows.assumptions().size());
    assertEquals(KEYS, rows.assumptions().get(0).lessOrEqual());
    assertEquals(Dim.of(128), rows.assumptions().get(0).bound());
    assertTrue(
        rows.assumptions().get(0).reason().contains("slice end within dim 2"),
        rows.assumptions().get(0).reason());
    ShapeOpCase columns =
        node("Slice").input(DType.BOOL, 1, 1, SEQ, 128).ints(0).dims(KEYS).ints(3);
    assertEquals(shape(1, 1, SEQ, KEYS), columns.inferShape());
    assertEquals(1, columns.assumptions().size());
  }

  @Test
  void symbolicDimsKeepExactSizesWhereTheClampIsDecidable() {
    assertEquals(
        shape(BATCH, SEQ.minus(1)),
        node("Slice").input(F, BATCH, SEQ).ints(1).ints(INT64_MAX).ints(1).inferShape());
    assertEquals(
        shape(BATCH, 1),
        node("Slice").input(F, BATCH, SEQ).ints(-1).ints(INT64_MAX).ints(1).inferShape());
    assertEquals(
        shape(KEYS, 16),
        node("Slice").input(F, KEYS, 16).dims(Dim.of(0)).dims(KEYS).ints(0).inferShape());
    ShapeOpCase past = node("Slice").input(F, KEYS, 16).dims(Dim.of(0)).dims(PAST).ints(0);
    assertEquals(shape(PAST, 16), past.inferShape());
    assertEquals(List.of(), past.assumptions());
    assertEquals(
        shape(SEQ, 16),
        node("Slice").input(F, KEYS, 16).dims(PAST).ints(INT64_MAX).ints(0).inferShape());
    assertEquals(
        shape(SEQ, 8),
        node("Slice").input(F, SEQ, 16).ints(0).ints(-1).ints(1).ints(2).inferShape());
    assertEquals(
        shape(SEQ),
        node("Slice").input(F, SEQ).ints(-1).ints(-INT64_MAX).ints(0).ints(-1).inferShape());
  }

  @Test
  void aConstantEndAgainstASymbolicDimIsClampedExactly() {
    ShapeOpCase firstThree = node("Slice").input(F, BATCH, SEQ).ints(0).ints(3).ints(1);
    assertEquals(shape(BATCH, Dim.of(3).min(SEQ)), firstThree.inferShape());
    assertEquals(List.of(), firstThree.assumptions());
  }

  @Test
  void aStartOfUnknownSignIsAnErrorNamingTheNode() {
    ShapeInferenceException e =
        assertThrows(
            ShapeInferenceException.class,
            () -> node("Slice").input(F, 128).dims(SEQ.minus(PAST)).ints(128).inferShape());
    assertTrue(e.getMessage().contains("the_Slice"), e.getMessage());
    assertThrows(
        ShapeInferenceException.class,
        () -> node("Slice").input(F, 8).ints(0).ints(4).ints(0).ints(0).infer());
    assertThrows(
        ShapeInferenceException.class,
        () -> node("Slice").input(F, 8, 8).ints(0, 0).ints(4, 4).ints(1, 1).infer());
  }

  @Test
  void slicesOfShapeArithmeticFold() {
    assertEquals(
        List.of(SEQ, Dim.of(64)),
        node("Slice").dims(BATCH, SEQ, Dim.of(64)).ints(1).ints(INT64_MAX).fold().elements());
    assertEquals(
        List.of(Dim.of(64), BATCH),
        node("Slice")
            .dims(BATCH, SEQ, Dim.of(64))
            .ints(-1)
            .ints(-INT64_MAX)
            .ints(0)
            .ints(-2)
            .fold()
            .elements());
  }
}
