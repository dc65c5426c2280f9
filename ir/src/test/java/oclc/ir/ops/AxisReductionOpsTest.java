package oclc.ir.ops;

import static oclc.ir.ops.OpHarness.BATCH;
import static oclc.ir.ops.OpHarness.PAST;
import static oclc.ir.ops.OpHarness.SEQ;
import static oclc.ir.ops.OpHarness.op;
import static oclc.ir.ops.OpHarness.shape;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import oclc.ir.DType;
import oclc.ir.Dim;
import oclc.ir.ShapeInferenceException;
import oclc.ir.Tensor;
import oclc.ir.TensorType;
import org.junit.jupiter.api.Test;

/** ArgMax/ArgMin, Softmax/LogSoftmax/Hardmax, CumSum and TopK: ops along one axis. */
class AxisReductionOpsTest {
  private static final DType F = DType.FLOAT32;
  private static final DType I = DType.INT64;
  private static final double LN3 = Math.log(3);

  private static Tensor row(float... values) {
    return Tensor.ofFloats(new long[] {values.length}, values);
  }

  private static Tensor axis(long value) {
    return Tensor.scalarLong(value);
  }

  @Test
  void argExtremaGiveInt64IndicesWithSymbolicDims() {
    TensorType out = op("ArgMax").input(F, BATCH, SEQ, 8).attribute("axis", -1L).infer().get(0);
    assertEquals(I, out.dtype());
    assertEquals(shape(BATCH, SEQ, 1), out.shape());
    assertEquals(
        shape(SEQ, 8), op("ArgMin").input(F, BATCH, SEQ, 8).attribute("keepdims", 0L).inferShape());
  }

  @Test
  void argExtremaTakeTheFirstIndexOnTiesUnlessSelectLastIndex() {
    Tensor x = row(3, 1, 3, 2, 1);
    assertEquals(0, op("ArgMax").evaluate(x).get(0).getLong(0));
    assertEquals(2, op("ArgMax").attribute("select_last_index", 1L).evaluate(x).get(0).getLong(0));
    assertEquals(1, op("ArgMin").evaluate(x).get(0).getLong(0));
    assertEquals(4, op("ArgMin").attribute("select_last_index", 1L).evaluate(x).get(0).getLong(0));
  }

  @Test
  void argExtremaAlongAnInnerAxisAndOnInt64BeyondDoublePrecision() {
    Tensor x = Tensor.ofFloats(new long[] {2, 3}, 1, 9, 2, 8, 0, 7);
    Tensor columns = op("ArgMax").attribute("axis", 0L).evaluate(x).get(0);
    assertArrayEquals(new long[] {1, 3}, columns.shape());
    assertArrayEquals(new long[] {1, 0, 1}, columns.toLongArray());
    assertArrayEquals(
        new long[] {0, 1},
        op("ArgMin")
            .attribute("axis", 1L)
            .attribute("keepdims", 0L)
            .evaluate(x)
            .get(0)
            .toLongArray());
    long big = 1L << 53;
    Tensor longs = Tensor.ofLongs(new long[] {3}, big, big + 1, big);
    assertEquals(1, op("ArgMax").evaluate(longs).get(0).getLong(0));
    assertEquals(
        2, op("ArgMin").attribute("select_last_index", 1L).evaluate(longs).get(0).getLong(0));
  }

  @Test
  void softmaxFamilyKeepsTheShapeAndChecksTheAxis() {
    assertEquals(
        shape(BATCH, 4, SEQ, PAST.plus(SEQ)),
        op("Softmax").input(F, BATCH, 4, SEQ, PAST.plus(SEQ)).inferShape());
    assertEquals(shape(BATCH, SEQ), op("LogSoftmax").opset(11).input(F, BATCH, SEQ).inferShape());
    assertThrows(
        ShapeInferenceException.class,
        () -> op("Hardmax").input(F, BATCH, SEQ).attribute("axis", 2L).inferShape());
  }

  @Test
  void softmaxLogSoftmaxAndHardmaxAlongTheLastAxis() {
    Tensor x = Tensor.ofFloats(new long[] {2, 2}, 0, (float) LN3, 5, 5);
    assertArrayEquals(
        new double[] {0.25, 0.75, 0.5, 0.5},
        op("Softmax").evaluate(x).get(0).toDoubleArray(),
        1e-6);
    assertArrayEquals(
        new double[] {Math.log(0.25), Math.log(0.75), Math.log(0.5), Math.log(0.5)},
        op("LogSoftmax").evaluate(x).get(0).toDoubleArray(),
        1e-6);
    assertArrayEquals(new double[] {0, 1, 1, 0}, op("Hardmax").evaluate(x).get(0).toDoubleArray());
  }

  @Test
  void beforeOpset13TheInputIsCoercedToTwoDimensionsAtTheAxis() {
    Tensor x = Tensor.ofFloats(new long[] {2, 2}, 1, 1, 1, 1);
    assertArrayEquals(
        new double[] {0.25, 0.25, 0.25, 0.25},
        op("Softmax").opset(11).attribute("axis", 0L).evaluate(x).get(0).toDoubleArray(),
        1e-6);
    assertArrayEquals(
        new double[] {0.5, 0.5, 0.5, 0.5},
        op("Softmax").opset(13).attribute("axis", 0L).evaluate(x).get(0).toDoubleArray(),
        1e-6);
    Tensor y = Tensor.ofFloats(new long[] {2, 3}, 1, 3, 2, 3, 0, 1);
    // Default axis 1 at opset 11 means rows of everything from axis 1 on: here, the rows.
    assertArrayEquals(
        new double[] {0, 1, 0, 1, 0, 0},
        op("Hardmax").opset(11).evaluate(y).get(0).toDoubleArray());
    Tensor columns = op("Hardmax").opset(13).attribute("axis", 0L).evaluate(y).get(0);
    assertArrayEquals(new double[] {0, 1, 1, 1, 0, 0}, columns.toDoubleArray());
  }

  @Test
  void cumSumInclusiveExclusiveAndReverse() {
    Tensor x = row(1, 2, 3, 4);
    assertArrayEquals(
        new double[] {1, 3, 6, 10}, op("CumSum").evaluate(x, axis(0)).get(0).toDoubleArray());
    assertArrayEquals(
        new double[] {0, 1, 3, 6},
        op("CumSum").attribute("exclusive", 1L).evaluate(x, axis(0)).get(0).toDoubleArray());
    assertArrayEquals(
        new double[] {10, 9, 7, 4},
        op("CumSum").attribute("reverse", 1L).evaluate(x, axis(-1)).get(0).toDoubleArray());
    assertArrayEquals(
        new double[] {9, 7, 4, 0},
        op("CumSum")
            .attribute("reverse", 1L)
            .attribute("exclusive", 1L)
            .evaluate(x, axis(0))
            .get(0)
            .toDoubleArray());
  }

  @Test
  void cumSumOfIntegersAlongAnInnerAxisIsExact() {
    Tensor x = Tensor.ofLongs(DType.INT32, new long[] {2, 3}, 1, 2, 3, 4, 5, 6);
    Tensor rows = op("CumSum").evaluate(x, Tensor.ofLongs(DType.INT32, new long[] {1}, 1)).get(0);
    assertEquals(DType.INT32, rows.dtype());
    assertArrayEquals(new long[] {1, 3, 6, 4, 9, 15}, rows.toLongArray());
    assertArrayEquals(
        new long[] {1, 2, 3, 5, 7, 9}, op("CumSum").evaluate(x, axis(0)).get(0).toLongArray());
    long big = 1L << 53;
    Tensor longs = Tensor.ofLongs(new long[] {2}, big, 1);
    assertEquals(big + 1, op("CumSum").evaluate(longs, axis(0)).get(0).getLong(1));
  }

  @Test
  void cumSumKeepsTheShapeAndChecksAKnownAxis() {
    assertEquals(
        shape(BATCH, SEQ), op("CumSum").input(F, BATCH, SEQ).constant(axis(1)).inferShape());
    assertEquals(shape(BATCH, SEQ), op("CumSum").input(F, BATCH, SEQ).input(I).inferShape());
    assertThrows(
        ShapeInferenceException.class,
        () -> op("CumSum").input(F, BATCH, SEQ).constant(axis(2)).inferShape());
  }

  @Test
  void topKShapesFollowKWhereverItIsKnown() {
    List<TensorType> both = op("TopK").input(F, BATCH, 10).ints(3).outputs(2).infer();
    assertEquals(new TensorType(F, shape(BATCH, 3)), both.get(0));
    assertEquals(new TensorType(I, shape(BATCH, 3)), both.get(1));
    assertEquals(
        shape(BATCH, 2),
        op("TopK").opset(9).input(F, BATCH, 10).attribute("k", 2L).outputs(2).inferShape());
    assertEquals(
        shape(BATCH, SEQ),
        op("TopK").input(F, BATCH, PAST.plus(SEQ)).dims(SEQ).outputs(2).inferShape());
    var fromShape = op("TopK").input(F, BATCH, 64).dims(SEQ).outputs(2);
    assertEquals(shape(BATCH, SEQ), fromShape.inferShape());
    assertEquals(1, fromShape.assumptions().size());
    Dim unknown = op("TopK").input(F, BATCH, 10).input(I, 1).outputs(2).inferShape().dim(1);
    assertEquals(Dim.symbol("the_TopK.k"), unknown);
    assertThrows(
        ShapeInferenceException.class,
        () -> op("TopK").input(F, BATCH, 10).ints(11).outputs(2).infer());
  }

  @Test
  void topKTakesLargestOrSmallestWithLowerIndicesFirstOnTies() {
    Tensor x = row(1, 4, 3, 4, 2);
    List<Tensor> largest = op("TopK").outputs(2).evaluate(x, Tensor.ofLongs(new long[] {1}, 3));
    assertArrayEquals(new double[] {4, 4, 3}, largest.get(0).toDoubleArray());
    assertArrayEquals(new long[] {1, 3, 2}, largest.get(1).toLongArray());
    List<Tensor> smallest =
        op("TopK")
            .attribute("largest", 0L)
            .outputs(2)
            .evaluate(x, Tensor.ofLongs(new long[] {1}, 2));
    assertArrayEquals(new double[] {1, 2}, smallest.get(0).toDoubleArray());
    assertArrayEquals(new long[] {0, 4}, smallest.get(1).toLongArray());
  }

  @Test
  void topKAlongTheFirstAxisAtOpset1AndOnInt64BeyondDoublePrecision() {
    Tensor x = Tensor.ofFloats(new long[] {3, 2}, 1, 6, 5, 2, 3, 4);
    List<Tensor> top =
        op("TopK").opset(1).attribute("k", 2L).attribute("axis", 0L).outputs(2).evaluate(x);
    assertArrayEquals(new long[] {2, 2}, top.get(0).shape());
    assertArrayEquals(new double[] {5, 6, 3, 4}, top.get(0).toDoubleArray());
    assertArrayEquals(new long[] {1, 0, 2, 2}, top.get(1).toLongArray());
    long big = 1L << 53;
    Tensor longs = Tensor.ofLongs(new long[] {3}, big, big + 1, big - 1);
    List<Tensor> exact = op("TopK").outputs(2).evaluate(longs, Tensor.ofLongs(new long[] {1}, 1));
    assertEquals(big + 1, exact.get(0).getLong(0));
    assertEquals(1, exact.get(1).getLong(0));
  }
}
