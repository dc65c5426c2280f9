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
import oclc.ir.DataDependentShapeException;
import oclc.ir.Dim;
import oclc.ir.ShapeInferenceException;
import oclc.ir.SymbolicTensor;
import oclc.ir.Tensor;
import org.junit.jupiter.api.Test;

/** The Reduce* ops: axes across opsets, symbolic shapes, exact integers, empty sets. */
class ReduceOpsTest {
  private static final DType F = DType.FLOAT32;
  private static final long[] TWO_BY_THREE = {2, 3};
  private static final float[] ONE_TO_SIX = {1, 2, 3, 4, 5, 6};

  private static Tensor floats(long[] shape, float... values) {
    return Tensor.ofFloats(shape, values);
  }

  private static Tensor ints(long... values) {
    return Tensor.ofLongs(new long[] {values.length}, values);
  }

  /** Reduces the rows of [[1, 2, 3], [4, 5, 6]] (axis 1) at opset 18, where axes is an input. */
  private static double[] reduceRows(String opType) {
    Tensor out =
        op(opType)
            .opset(18)
            .attribute("keepdims", 0L)
            .evaluate(floats(TWO_BY_THREE, ONE_TO_SIX), ints(1))
            .get(0);
    assertArrayEquals(new long[] {2}, out.shape());
    return out.toDoubleArray();
  }

  @Test
  void reducedAxesAreDroppedOrKeptAndSymbolicDimsFlowThrough() {
    assertEquals(
        shape(BATCH, 1, 64),
        op("ReduceSum").opset(13).input(F, BATCH, SEQ, 64).ints(1).inferShape());
    assertEquals(
        shape(BATCH, 64),
        op("ReduceMax")
            .opset(18)
            .input(F, BATCH, SEQ, 64)
            .ints(-2)
            .attribute("keepdims", 0L)
            .inferShape());
    assertEquals(
        shape(SEQ),
        op("ReduceMean")
            .opset(18)
            .input(F, BATCH, SEQ, 64)
            .ints(0, 2)
            .attribute("keepdims", 0L)
            .inferShape());
  }

  @Test
  void axesAreAnAttributeBeforeOpset18AndBeforeOpset13ForReduceSum() {
    assertEquals(
        shape(BATCH, SEQ, 1),
        op("ReduceMean")
            .opset(17)
            .input(F, BATCH, SEQ, 64)
            .attribute("axes", new long[] {-1})
            .inferShape());
    assertEquals(
        shape(BATCH, 1, 64),
        op("ReduceSum")
            .opset(11)
            .input(F, BATCH, SEQ, 64)
            .attribute("axes", new long[] {1})
            .inferShape());
    double[] sums =
        op("ReduceSum")
            .opset(11)
            .attribute("axes", new long[] {0})
            .attribute("keepdims", 0L)
            .evaluate(floats(TWO_BY_THREE, ONE_TO_SIX))
            .get(0)
            .toDoubleArray();
    assertArrayEquals(new double[] {5, 7, 9}, sums);
  }

  @Test
  void noAxesReduceEverythingUnlessNoopWithEmptyAxes() {
    assertEquals(shape(1, 1), op("ReduceL2").opset(18).input(F, BATCH, SEQ).inferShape());
    assertEquals(
        shape(),
        op("ReduceL2").opset(18).input(F, BATCH, SEQ).attribute("keepdims", 0L).inferShape());
    assertEquals(
        shape(BATCH, SEQ),
        op("ReduceSum")
            .opset(13)
            .input(F, BATCH, SEQ)
            .attribute("noop_with_empty_axes", 1L)
            .inferShape());
    Tensor all = op("ReduceSum").opset(13).evaluate(floats(TWO_BY_THREE, ONE_TO_SIX)).get(0);
    assertArrayEquals(new long[] {1, 1}, all.shape());
    assertEquals(21, all.getDouble(0));
    Tensor same =
        op("ReduceSum")
            .opset(13)
            .attribute("noop_with_empty_axes", 1L)
            .evaluate(floats(TWO_BY_THREE, ONE_TO_SIX), ints())
            .get(0);
    assertArrayEquals(new double[] {1, 2, 3, 4, 5, 6}, same.toDoubleArray());
  }

  @Test
  void axesInputUnknownAtCompileTimeOrOutOfRangeIsAnError() {
    assertThrows(
        DataDependentShapeException.class,
        () -> op("ReduceSum").opset(13).input(F, BATCH, SEQ).input(DType.INT64, 1).inferShape());
    assertThrows(
        ShapeInferenceException.class,
        () -> op("ReduceMax").opset(18).input(F, BATCH, SEQ).ints(2).inferShape());
  }

  @Test
  void eachReductionFoldsTheRowsAsTheSpecSays() {
    assertArrayEquals(new double[] {6, 15}, reduceRows("ReduceSum"));
    assertArrayEquals(new double[] {2, 5}, reduceRows("ReduceMean"));
    assertArrayEquals(new double[] {3, 6}, reduceRows("ReduceMax"));
    assertArrayEquals(new double[] {1, 4}, reduceRows("ReduceMin"));
    assertArrayEquals(new double[] {6, 120}, reduceRows("ReduceProd"));
    assertArrayEquals(new double[] {14, 77}, reduceRows("ReduceSumSquare"));
    assertArrayEquals(new double[] {6, 15}, reduceRows("ReduceL1"));
    assertArrayEquals(new double[] {Math.sqrt(14), Math.sqrt(77)}, reduceRows("ReduceL2"), 1e-6);
    assertArrayEquals(new double[] {Math.log(6), Math.log(15)}, reduceRows("ReduceLogSum"), 1e-6);
    double lse0 = Math.log(Math.exp(1) + Math.exp(2) + Math.exp(3));
    double lse1 = Math.log(Math.exp(4) + Math.exp(5) + Math.exp(6));
    assertArrayEquals(new double[] {lse0, lse1}, reduceRows("ReduceLogSumExp"), 1e-5);
  }

  @Test
  void l1TakesAbsoluteValuesAndLogSumExpStaysFiniteForLargeInputs() {
    Tensor x = floats(new long[] {3}, -1.5f, 2, -3);
    assertEquals(
        6.5, op("ReduceL1").opset(18).attribute("keepdims", 0L).evaluate(x).get(0).getDouble(0));
    Tensor large = floats(new long[] {2}, 1000, 1000);
    assertEquals(
        1000 + Math.log(2),
        op("ReduceLogSumExp").opset(18).evaluate(large).get(0).getDouble(0),
        1e-3);
  }

  @Test
  void integerSumsProductsAndExtremaAreExact() {
    long big = (1L << 53) + 1; // rounds to 2^53 as a double
    Tensor x = Tensor.ofLongs(new long[] {3}, big, 1, 1L << 53);
    assertEquals(2 * big, op("ReduceSum").opset(13).evaluate(x).get(0).getLong(0));
    assertEquals(big, op("ReduceMax").opset(18).evaluate(x).get(0).getLong(0));
    assertEquals(1, op("ReduceMin").opset(18).evaluate(x).get(0).getLong(0));
    assertEquals(big << 53, op("ReduceProd").opset(18).evaluate(x).get(0).getLong(0));
    Tensor y = Tensor.ofLongs(DType.INT32, new long[] {3}, -7, 2, -2);
    assertEquals(-2, op("ReduceMean").opset(18).evaluate(y).get(0).getLong(0)); // -7/3 truncates
    assertEquals(11, op("ReduceL1").opset(18).evaluate(y).get(0).getLong(0));
    assertEquals(DType.INT32, op("ReduceMean").opset(18).evaluate(y).get(0).dtype());
  }

  @Test
  void unsignedExtremaCompareUnsigned() {
    Tensor x = Tensor.ofLongs(DType.UINT64, new long[] {3}, 5, -1L, 7); // -1L is 2^64 - 1
    assertEquals(-1L, op("ReduceMax").opset(18).evaluate(x).get(0).getLong(0));
    assertEquals(5, op("ReduceMin").opset(18).evaluate(x).get(0).getLong(0));
    Tensor bytes = Tensor.ofLongs(DType.UINT8, new long[] {2}, 200, 3);
    assertEquals(200, op("ReduceMax").opset(18).evaluate(bytes).get(0).getLong(0));
  }

  @Test
  void reductionsOverEmptySetsGiveTheIdentity() {
    Tensor empty = floats(new long[] {2, 0});
    Tensor axis1 = ints(1);
    assertArrayEquals(
        new double[] {0, 0}, op("ReduceSum").evaluate(empty, axis1).get(0).toDoubleArray());
    assertArrayEquals(
        new double[] {1, 1}, op("ReduceProd").evaluate(empty, axis1).get(0).toDoubleArray());
    assertArrayEquals(
        new double[] {0, 0}, op("ReduceL2").evaluate(empty, axis1).get(0).toDoubleArray());
    double inf = Double.POSITIVE_INFINITY;
    assertArrayEquals(
        new double[] {-inf, -inf}, op("ReduceMax").evaluate(empty, axis1).get(0).toDoubleArray());
    assertArrayEquals(
        new double[] {inf, inf}, op("ReduceMin").evaluate(empty, axis1).get(0).toDoubleArray());
    assertArrayEquals(
        new double[] {-inf, -inf},
        op("ReduceLogSumExp").evaluate(empty, axis1).get(0).toDoubleArray());
    Tensor emptyInts = Tensor.allocate(DType.INT32, 2, 0);
    assertArrayEquals(
        new long[] {Integer.MIN_VALUE, Integer.MIN_VALUE},
        op("ReduceMax").evaluate(emptyInts, axis1).get(0).toLongArray());
    assertArrayEquals(
        new long[] {Integer.MAX_VALUE, Integer.MAX_VALUE},
        op("ReduceMin").evaluate(emptyInts, axis1).get(0).toLongArray());
    assertArrayEquals(new long[] {2, 1}, op("ReduceMin").evaluate(emptyInts, axis1).get(0).shape());
  }

  @Test
  void productAndSumOfDimsCountElementsInShapeArithmetic() {
    SymbolicTensor count =
        op("ReduceProd").opset(18).dims(BATCH, SEQ, Dim.of(4)).attribute("keepdims", 0L).symbolic();
    assertArrayEquals(new long[0], count.shape());
    assertEquals(List.of(BATCH.times(SEQ).times(4)), count.elements());
    SymbolicTensor keys = op("ReduceSum").opset(13).dims(PAST, SEQ).symbolic();
    assertArrayEquals(new long[] {1}, keys.shape());
    assertEquals(List.of(PAST.plus(SEQ)), keys.elements());
    SymbolicTensor older =
        op("ReduceProd")
            .opset(11)
            .dims(BATCH, Dim.of(3))
            .attribute("axes", new long[] {0})
            .symbolic();
    assertEquals(List.of(BATCH.times(3)), older.elements());
  }
}
