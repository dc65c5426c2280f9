package oclc.ir.ops;

import static oclc.ir.ops.OpHarness.op;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import oclc.ir.DType;
import oclc.ir.Tensor;
import org.junit.jupiter.api.Test;

/**
 * Transpose, Split, Tile, Pad and the layout ops on small hand-checked tensors of several types.
 */
class DataMovementEvaluationTest {

  static Tensor longs(long[] shape, long... values) {
    return Tensor.ofLongs(shape, values);
  }

  static long[] dims(long... sizes) {
    return sizes;
  }

  static void assertTensor(DType dtype, long[] shape, long[] values, Tensor actual) {
    assertEquals(dtype, actual.dtype());
    assertArrayEquals(shape, actual.shape());
    assertArrayEquals(values, actual.toLongArray());
  }

  static void assertTensor(DType dtype, long[] shape, double[] values, Tensor actual) {
    assertEquals(dtype, actual.dtype());
    assertArrayEquals(shape, actual.shape());
    assertArrayEquals(values, actual.toDoubleArray(), 1e-6);
  }

  @Test
  void transposeReversesTheAxesByDefault() {
    Tensor x = Tensor.ofDoubles(DType.FLOAT16, dims(2, 3), 1, 2, 3, 4, 5, 6);
    Tensor y = op("Transpose").evaluate(x).get(0);
    assertTensor(DType.FLOAT16, dims(3, 2), new double[] {1, 4, 2, 5, 3, 6}, y);
  }

  @Test
  void transposeFollowsPerm() {
    Tensor x = longs(dims(2, 2, 2), 0, 1, 2, 3, 4, 5, 6, 7);
    Tensor y = op("Transpose").attribute("perm", 1, 0, 2).evaluate(x).get(0);
    assertTensor(DType.INT64, dims(2, 2, 2), new long[] {0, 1, 4, 5, 2, 3, 6, 7}, y);
    Tensor flags = Tensor.ofBools(dims(1, 2), true, false);
    assertTensor(DType.BOOL, dims(2, 1), new long[] {1, 0}, op("Transpose").evaluate(flags).get(0));
  }

  @Test
  void splitBySizesFromTheInputOrTheAttribute() {
    Tensor x = longs(dims(2, 3), 1, 2, 3, 4, 5, 6);
    List<Tensor> parts =
        op("Split").attribute("axis", 1L).outputs(2).evaluate(x, longs(dims(2), 1, 2));
    assertTensor(DType.INT64, dims(2, 1), new long[] {1, 4}, parts.get(0));
    assertTensor(DType.INT64, dims(2, 2), new long[] {2, 3, 5, 6}, parts.get(1));
    List<Tensor> old = op("Split").opset(11).attribute("split", 1, 1).outputs(2).evaluate(x);
    assertTensor(DType.INT64, dims(1, 3), new long[] {4, 5, 6}, old.get(1));
  }

  @Test
  void splitIntoNumOutputsLeavesTheLastPartSmaller() {
    Tensor x = Tensor.ofDoubles(DType.BFLOAT16, dims(5), 1, 2, 3, 4, 5);
    List<Tensor> parts = op("Split").opset(18).attribute("num_outputs", 2L).outputs(2).evaluate(x);
    assertTensor(DType.BFLOAT16, dims(3), new double[] {1, 2, 3}, parts.get(0));
    assertTensor(DType.BFLOAT16, dims(2), new double[] {4, 5}, parts.get(1));
  }

  @Test
  void tileRepeatsAlongEachAxis() {
    Tensor x = Tensor.ofBools(dims(2, 2), true, false, false, true);
    Tensor y = op("Tile").evaluate(x, longs(dims(2), 1, 2)).get(0);
    assertTensor(DType.BOOL, dims(2, 4), new long[] {1, 0, 1, 0, 0, 1, 0, 1}, y);
  }

  @Test
  void trilKeepsTheLowerTriangleAndTriuTheUpper() {
    Tensor x = longs(dims(3, 3), 1, 2, 3, 4, 5, 6, 7, 8, 9);
    assertTensor(
        DType.INT64,
        dims(3, 3),
        new long[] {0, 2, 3, 0, 0, 6, 0, 0, 0},
        op("Trilu").evaluate(x, Tensor.scalarLong(1)).get(0));
    assertTensor(
        DType.INT64,
        dims(3, 3),
        new long[] {1, 0, 0, 4, 5, 0, 7, 8, 9},
        op("Trilu").attribute("upper", 0L).evaluate(x).get(0));
    assertTensor(
        DType.INT64,
        dims(3, 3),
        new long[] {0, 0, 0, 4, 0, 0, 7, 8, 0},
        op("Trilu").attribute("upper", 0L).evaluate(x, Tensor.scalarLong(-1)).get(0));
  }

  @Test
  void padInEachMode() {
    Tensor x = Tensor.ofFloats(dims(3), 1, 2, 3);
    Tensor pads = longs(dims(2), 2, 1);
    Tensor nine = Tensor.ofFloats(dims(), 9);
    assertTensor(
        DType.FLOAT32,
        dims(6),
        new double[] {9, 9, 1, 2, 3, 9},
        op("Pad").evaluate(x, pads, nine).get(0));
    assertTensor(
        DType.FLOAT32,
        dims(6),
        new double[] {3, 2, 1, 2, 3, 2},
        op("Pad").attribute("mode", "reflect").evaluate(x, pads).get(0));
    assertTensor(
        DType.FLOAT32,
        dims(6),
        new double[] {1, 1, 1, 2, 3, 3},
        op("Pad").attribute("mode", "edge").evaluate(x, pads).get(0));
    assertTensor(
        DType.FLOAT32,
        dims(6),
        new double[] {2, 3, 1, 2, 3, 1},
        op("Pad").opset(19).attribute("mode", "wrap").evaluate(x, pads).get(0));
    assertTensor(
        DType.FLOAT32,
        dims(2),
        new double[] {2, 3},
        op("Pad").evaluate(x, longs(dims(2), -1, 0)).get(0));
  }

  @Test
  void padTakesPadsFromTheAttributeBeforeOpset11AndAxesFrom18() {
    Tensor x = longs(dims(2, 2), 1, 2, 3, 4);
    assertTensor(
        DType.INT64,
        dims(2, 3),
        new long[] {1, 2, 7, 3, 4, 7},
        op("Pad").opset(2).attribute("pads", 0, 0, 0, 1).attribute("value", 7f).evaluate(x).get(0));
    assertTensor(
        DType.INT64,
        dims(2, 3),
        new long[] {0, 1, 2, 0, 3, 4},
        op("Pad").opset(18).evaluate(x, longs(dims(2), 1, 0), null, longs(dims(1), -1)).get(0));
    long big = (1L << 60) + 1;
    assertTensor(
        DType.INT64,
        dims(2, 3),
        new long[] {1, 2, big, 3, 4, big},
        op("Pad").evaluate(x, longs(dims(4), 0, 0, 0, 1), Tensor.scalarLong(big)).get(0));
  }

  @Test
  void depthToSpaceReadsChannelsAsBlockThenDepthInDcrMode() {
    Tensor x = longs(dims(1, 8, 1, 1), 0, 1, 2, 3, 4, 5, 6, 7);
    assertTensor(
        DType.INT64,
        dims(1, 2, 2, 2),
        new long[] {0, 2, 4, 6, 1, 3, 5, 7},
        op("DepthToSpace").attribute("blocksize", 2L).evaluate(x).get(0));
    assertTensor(
        DType.INT64,
        dims(1, 2, 2, 2),
        new long[] {0, 1, 2, 3, 4, 5, 6, 7},
        op("DepthToSpace").attribute("blocksize", 2L).attribute("mode", "CRD").evaluate(x).get(0));
  }

  @Test
  void spaceToDepthUndoesDepthToSpace() {
    Tensor x =
        Tensor.ofFloats(dims(1, 2, 2, 4), 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15);
    Tensor depth = op("SpaceToDepth").attribute("blocksize", 2L).evaluate(x).get(0);
    assertTensor(
        DType.FLOAT32,
        dims(1, 8, 1, 2),
        new double[] {0, 2, 8, 10, 1, 3, 9, 11, 4, 6, 12, 14, 5, 7, 13, 15},
        depth);
    Tensor back = op("DepthToSpace").attribute("blocksize", 2L).evaluate(depth).get(0);
    assertArrayEquals(x.toDoubleArray(), back.toDoubleArray());
  }

  @Test
  void reverseSequenceReversesEachBatchEntryUpToItsLength() {
    Tensor x = longs(dims(4, 4), 0, 4, 8, 12, 1, 5, 9, 13, 2, 6, 10, 14, 3, 7, 11, 15);
    Tensor y =
        op("ReverseSequence")
            .attribute("time_axis", 0L)
            .attribute("batch_axis", 1L)
            .evaluate(x, longs(dims(4), 4, 3, 2, 1))
            .get(0);
    assertTensor(
        DType.INT64,
        dims(4, 4),
        new long[] {3, 6, 9, 12, 2, 5, 8, 13, 1, 4, 10, 14, 0, 7, 11, 15},
        y);
  }
}
