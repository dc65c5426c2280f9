package oclc.ir.ops;

import static oclc.ir.ops.DataMovementEvaluationTest.assertTensor;
import static oclc.ir.ops.DataMovementEvaluationTest.dims;
import static oclc.ir.ops.DataMovementEvaluationTest.longs;
import static oclc.ir.ops.OpHarness.op;

import java.util.List;
import oclc.ir.DType;
import oclc.ir.Tensor;
import org.junit.jupiter.api.Test;

/** Gathers, scatters and the ops whose output is decided by index data, on hand-checked tensors. */
class IndexingOpsEvaluationTest {

  @Test
  void gatherElementsPicksAlongTheAxis() {
    Tensor data = longs(dims(2, 2), 1, 2, 3, 4);
    Tensor y =
        op("GatherElements")
            .attribute("axis", 1L)
            .evaluate(data, longs(dims(2, 2), 0, 0, 1, -2))
            .get(0);
    assertTensor(DType.INT64, dims(2, 2), new long[] {1, 1, 4, 3}, y);
  }

  @Test
  void gatherNdPicksElementsOrSlices() {
    Tensor data = Tensor.ofFloats(dims(2, 2), 10, 11, 12, 13);
    assertTensor(
        DType.FLOAT32,
        dims(2),
        new double[] {10, 13},
        op("GatherND").evaluate(data, longs(dims(2, 2), 0, 0, 1, 1)).get(0));
    assertTensor(
        DType.FLOAT32,
        dims(2, 2),
        new double[] {12, 13, 10, 11},
        op("GatherND").evaluate(data, longs(dims(2, 1), -1, 0)).get(0));
  }

  @Test
  void gatherNdMatchesBatchDimsOneToOne() {
    Tensor data = longs(dims(2, 2, 2), 0, 1, 2, 3, 4, 5, 6, 7);
    Tensor y =
        op("GatherND").attribute("batch_dims", 1L).evaluate(data, longs(dims(2, 1), 1, 0)).get(0);
    assertTensor(DType.INT64, dims(2, 2), new long[] {2, 3, 4, 5}, y);
  }

  @Test
  void scatterNdReplacesOrCombinesIndexedElements() {
    Tensor data = longs(dims(8), 1, 2, 3, 4, 5, 6, 7, 8);
    Tensor indices = longs(dims(4, 1), 4, 3, 1, 7);
    Tensor updates = longs(dims(4), 9, 10, 11, 12);
    assertTensor(
        DType.INT64,
        dims(8),
        new long[] {1, 11, 3, 10, 9, 6, 7, 12},
        op("ScatterND").evaluate(data, indices, updates).get(0));
    assertTensor(
        DType.INT64,
        dims(8),
        new long[] {1, 13, 3, 14, 14, 6, 7, 20},
        op("ScatterND").attribute("reduction", "add").evaluate(data, indices, updates).get(0));
    Tensor twice = longs(dims(2, 1), 0, 0);
    assertTensor(
        DType.INT64,
        dims(8),
        new long[] {6, 2, 3, 4, 5, 6, 7, 8},
        op("ScatterND")
            .attribute("reduction", "mul")
            .evaluate(data, twice, longs(dims(2), 2, 3))
            .get(0));
    assertTensor(
        DType.INT64,
        dims(8),
        new long[] {4, 2, 3, 4, 5, 6, 7, 8},
        op("ScatterND")
            .attribute("reduction", "max")
            .evaluate(data, twice, longs(dims(2), 4, 0))
            .get(0));
  }

  @Test
  void scatterNdWritesWholeSlices() {
    Tensor data = Tensor.ofFloats(dims(2, 2), 1, 2, 3, 4);
    Tensor y =
        op("ScatterND")
            .evaluate(data, longs(dims(1, 1), 1), Tensor.ofFloats(dims(1, 2), 8, 9))
            .get(0);
    assertTensor(DType.FLOAT32, dims(2, 2), new double[] {1, 2, 8, 9}, y);
  }

  @Test
  void scatterElementsWritesAlongTheAxisAsTheOldScatterDid() {
    Tensor data = Tensor.ofFloats(dims(1, 5), 1, 2, 3, 4, 5);
    Tensor indices = longs(dims(1, 2), 1, -2);
    Tensor updates = Tensor.ofFloats(dims(1, 2), 1.5f, 2.5f);
    double[] expected = {1, 1.5, 3, 2.5, 5};
    assertTensor(
        DType.FLOAT32,
        dims(1, 5),
        expected,
        op("ScatterElements").attribute("axis", 1L).evaluate(data, indices, updates).get(0));
    assertTensor(
        DType.FLOAT32,
        dims(1, 5),
        expected,
        op("Scatter").opset(9).attribute("axis", 1L).evaluate(data, indices, updates).get(0));
    assertTensor(
        DType.FLOAT32,
        dims(1, 5),
        new double[] {1, 2, 3, 4, 5},
        op("ScatterElements")
            .opset(18)
            .attribute("axis", 1L)
            .attribute("reduction", "max")
            .evaluate(data, indices, updates)
            .get(0));
  }

  @Test
  void eyeLikeSetsOnesOnDiagonalK() {
    Tensor x = Tensor.ofFloats(dims(2, 3), 5, 5, 5, 5, 5, 5);
    assertTensor(
        DType.FLOAT32,
        dims(2, 3),
        new double[] {0, 1, 0, 0, 0, 1},
        op("EyeLike").attribute("k", 1L).evaluate(x).get(0));
    assertTensor(
        DType.BOOL,
        dims(2, 3),
        new long[] {1, 0, 0, 0, 1, 0},
        op("EyeLike").attribute("dtype", 9L).evaluate(x).get(0));
  }

  @Test
  void oneHotWritesOnValuesAtTheIndexAndOffValuesElsewhere() {
    Tensor indices = longs(dims(3), 1, -1, 5);
    Tensor depth = Tensor.ofFloats(dims(), 3);
    Tensor values = longs(dims(2), 2, 7);
    assertTensor(
        DType.INT64,
        dims(3, 3),
        new long[] {2, 7, 2, 2, 2, 7, 2, 2, 2},
        op("OneHot").evaluate(indices, depth, values).get(0));
    assertTensor(
        DType.INT64,
        dims(3, 3),
        new long[] {2, 2, 2, 7, 2, 2, 2, 7, 2},
        op("OneHot").attribute("axis", 0L).evaluate(indices, depth, values).get(0));
  }

  @Test
  void nonZeroListsTheIndicesOfNonZeroElementsInRowMajorOrder() {
    Tensor x = Tensor.ofFloats(dims(2, 2), 1, 0, -2, 3);
    assertTensor(
        DType.INT64, dims(2, 3), new long[] {0, 1, 1, 0, 0, 1}, op("NonZero").evaluate(x).get(0));
    Tensor none = Tensor.ofBools(dims(3), false, false, false);
    assertTensor(DType.INT64, dims(1, 0), new long[] {}, op("NonZero").evaluate(none).get(0));
  }

  @Test
  void compressKeepsTheSlicesWhoseConditionIsTrue() {
    Tensor x = longs(dims(3, 2), 1, 2, 3, 4, 5, 6);
    assertTensor(
        DType.INT64,
        dims(2, 2),
        new long[] {3, 4, 5, 6},
        op("Compress")
            .attribute("axis", 0L)
            .evaluate(x, Tensor.ofBools(dims(3), false, true, true))
            .get(0));
    assertTensor(
        DType.INT64,
        dims(3, 1),
        new long[] {2, 4, 6},
        op("Compress")
            .attribute("axis", -1L)
            .evaluate(x, Tensor.ofBools(dims(2), false, true))
            .get(0));
    assertTensor(
        DType.INT64,
        dims(2),
        new long[] {2, 5},
        op("Compress")
            .evaluate(x, Tensor.ofBools(dims(5), false, true, false, false, true))
            .get(0));
  }

  @Test
  void uniqueSortsDistinctValuesAndMapsEveryInputToOne() {
    Tensor x = Tensor.ofFloats(dims(6), 2, 1, 1, 3, 4, 3);
    List<Tensor> sorted = op("Unique").outputs(4).evaluate(x);
    assertTensor(DType.FLOAT32, dims(4), new double[] {1, 2, 3, 4}, sorted.get(0));
    assertTensor(DType.INT64, dims(4), new long[] {1, 0, 3, 4}, sorted.get(1));
    assertTensor(DType.INT64, dims(6), new long[] {1, 0, 0, 2, 3, 2}, sorted.get(2));
    assertTensor(DType.INT64, dims(4), new long[] {2, 1, 2, 1}, sorted.get(3));
    List<Tensor> firstSeen = op("Unique").attribute("sorted", 0L).outputs(4).evaluate(x);
    assertTensor(DType.FLOAT32, dims(4), new double[] {2, 1, 3, 4}, firstSeen.get(0));
    assertTensor(DType.INT64, dims(6), new long[] {0, 1, 1, 2, 3, 2}, firstSeen.get(2));
  }

  @Test
  void uniqueAlongAnAxisComparesWholeSlices() {
    Tensor x = longs(dims(3, 2), 2, 0, 1, 5, 2, 0);
    List<Tensor> rows = op("Unique").attribute("axis", 0L).outputs(4).evaluate(x);
    assertTensor(DType.INT64, dims(2, 2), new long[] {1, 5, 2, 0}, rows.get(0));
    assertTensor(DType.INT64, dims(3), new long[] {1, 0, 1}, rows.get(2));
    assertTensor(DType.INT64, dims(2), new long[] {1, 2}, rows.get(3));
  }
}
