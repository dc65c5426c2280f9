package oclc.ir.ops;

import static oclc.ir.ops.OpHarness.BATCH;
import static oclc.ir.ops.OpHarness.SEQ;
import static oclc.ir.ops.OpHarness.op;
import static oclc.ir.ops.OpHarness.shape;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import oclc.ir.DType;
import oclc.ir.DataDependentShapeException;
import oclc.ir.Dim;
import oclc.ir.ShapeInferenceException;
import oclc.ir.Tensor;
import oclc.ir.TensorType;
import org.junit.jupiter.api.Test;

/** Data-movement ops keep `batch_size` and `sequence_length` symbolic through shape inference. */
class DataMovementShapeInferenceTest {
  private static final DType F = DType.FLOAT32;
  private static final DType I = DType.INT64;

  @Test
  void transposeMovesSymbolicDimsWithTheirAxes() {
    assertEquals(
        shape(BATCH, 4, SEQ, 16),
        op("Transpose").input(F, BATCH, SEQ, 4, 16).attribute("perm", 0, 2, 1, 3).inferShape());
    assertEquals(
        shape(16, 4, SEQ, BATCH), op("Transpose").input(F, BATCH, SEQ, 4, 16).inferShape());
    assertThrows(
        ShapeInferenceException.class,
        () -> op("Transpose").input(F, BATCH, SEQ).attribute("perm", 0, 0).infer());
  }

  @Test
  void transposeEvaluatesOverDimsForShapeArithmetic() {
    Tensor pair = Tensor.ofLongs(new long[] {2, 1}, 7, 9);
    assertEquals(
        List.of(Dim.of(7), Dim.of(9)), op("Transpose").constant(pair).symbolic().elements());
    assertEquals(
        List.of(SEQ, BATCH),
        op("Transpose").dims(SEQ, BATCH).attribute("perm", new long[] {0}).symbolic().elements());
  }

  @Test
  void splitIntoEqualPartsDividesASymbolicAxisExactly() {
    List<TensorType> qkv =
        op("Split").input(F, BATCH, SEQ, 192).attribute("axis", 2L).outputs(3).infer();
    qkv.forEach(part -> assertEquals(shape(BATCH, SEQ, 64), part.shape()));
    List<TensorType> thirds = op("Split").input(F, SEQ.times(3)).outputs(3).infer();
    thirds.forEach(part -> assertEquals(shape(SEQ), part.shape()));
    List<TensorType> bySymbol =
        op("Split").input(F, BATCH, SEQ).attribute("axis", 1L).outputs(2).infer();
    assertEquals(shape(BATCH, SEQ.floorDiv(Dim.of(2))), bySymbol.get(0).shape());
  }

  @Test
  void splitTakesSizesFromTheAttributeBeforeOpset13AndTheInputAfter() {
    List<TensorType> old =
        op("Split")
            .opset(11)
            .input(F, BATCH, 10)
            .attribute("axis", 1L)
            .attribute("split", 3, 7)
            .outputs(2)
            .infer();
    assertEquals(shape(BATCH, 3), old.get(0).shape());
    assertEquals(shape(BATCH, 7), old.get(1).shape());
    List<TensorType> symbolic =
        op("Split").input(F, SEQ.plus(4), 8).dims(SEQ, Dim.of(4)).outputs(2).infer();
    assertEquals(shape(SEQ, 8), symbolic.get(0).shape());
    assertEquals(shape(4, 8), symbolic.get(1).shape());
  }

  @Test
  void splitWithNumOutputsLeavesTheLastPartSmaller() {
    List<TensorType> parts =
        op("Split")
            .opset(18)
            .input(F, BATCH, 7)
            .attribute("axis", 1L)
            .attribute("num_outputs", 3L)
            .outputs(3)
            .infer();
    assertEquals(
        List.of(shape(BATCH, 3), shape(BATCH, 3), shape(BATCH, 1)),
        parts.stream().map(TensorType::shape).toList());
  }

  @Test
  void gathersTakeTheirShapeFromTheIndices() {
    assertEquals(
        shape(BATCH, SEQ, 2),
        op("GatherElements")
            .input(F, BATCH, SEQ, 5)
            .input(I, BATCH, SEQ, 2)
            .attribute("axis", 2L)
            .inferShape());
    assertEquals(
        shape(SEQ, 16), op("GatherND").input(F, BATCH, 4, 16).input(I, SEQ, 2).inferShape());
    assertEquals(
        shape(BATCH, SEQ, 16),
        op("GatherND")
            .input(F, BATCH, 4, 16)
            .input(I, BATCH, SEQ, 1)
            .attribute("batch_dims", 1L)
            .inferShape());
    assertThrows(
        ShapeInferenceException.class,
        () -> op("GatherND").input(F, BATCH, 4).input(I, SEQ, 3).infer());
  }

  @Test
  void scattersKeepTheDataShape() {
    for (String scatter : List.of("ScatterND", "ScatterElements")) {
      assertEquals(
          shape(BATCH, SEQ, 8),
          op(scatter).input(F, BATCH, SEQ, 8).input(I, 2, 1).input(F, 2, SEQ, 8).inferShape());
    }
    assertEquals(
        shape(BATCH, SEQ),
        op("Scatter").opset(10).input(F, BATCH, SEQ).input(I, 1, 2).input(F, 1, 2).inferShape());
  }

  @Test
  void tileMultipliesDimsByRepeatsThatMayThemselvesBeDims() {
    assertEquals(
        shape(BATCH.times(2), SEQ), op("Tile").input(F, BATCH, SEQ).ints(2, 1).inferShape());
    assertEquals(
        shape(BATCH, SEQ.times(SEQ)),
        op("Tile").input(F, BATCH, SEQ).dims(Dim.of(1), SEQ).inferShape());
    assertThrows(
        DataDependentShapeException.class,
        () -> op("Tile").input(F, BATCH, SEQ).input(I, 2).infer());
  }

  @Test
  void padAddsBeginAndEndToEachPaddedAxis() {
    assertEquals(
        shape(BATCH, SEQ.plus(3)), op("Pad").input(F, BATCH, SEQ).ints(0, 1, 0, 2).inferShape());
    assertEquals(
        shape(BATCH, SEQ.plus(3)),
        op("Pad").opset(2).input(F, BATCH, SEQ).attribute("pads", 0, 1, 0, 2).inferShape());
    assertEquals(
        shape(BATCH, SEQ.plus(3)),
        op("Pad").opset(18).input(F, BATCH, SEQ).ints(1, 2).absent().ints(-1).inferShape());
  }

  @Test
  void shapePreservingOpsKeepSymbolicDims() {
    assertEquals(shape(BATCH, SEQ, SEQ), op("Trilu").input(F, BATCH, SEQ, SEQ).inferShape());
    assertEquals(
        shape(BATCH, SEQ, 4),
        op("ReverseSequence")
            .input(F, BATCH, SEQ, 4)
            .input(I, SEQ)
            .attribute("batch_axis", 1L)
            .attribute("time_axis", 0L)
            .inferShape());
    TensorType eye = op("EyeLike").input(F, SEQ, SEQ).attribute("dtype", 7L).infer().get(0);
    assertEquals(new TensorType(I, shape(SEQ, SEQ)), eye);
  }

  @Test
  void depthAndSpaceTradeChannelsForPixels() {
    assertEquals(
        shape(BATCH, 2, SEQ.times(2), 6),
        op("DepthToSpace").input(F, BATCH, 8, SEQ, 3).attribute("blocksize", 2L).inferShape());
    assertEquals(
        shape(BATCH, 32, SEQ, 3),
        op("SpaceToDepth")
            .input(F, BATCH, 8, SEQ.times(2), 6)
            .attribute("blocksize", 2L)
            .inferShape());
    assertThrows(
        ShapeInferenceException.class,
        () -> op("DepthToSpace").input(F, BATCH, 6, 2, 2).attribute("blocksize", 2L).infer());
  }

  @Test
  void oneHotInsertsTheDepthAtTheAxis() {
    TensorType hot = op("OneHot").input(I, BATCH, SEQ).ints(10).input(F, 2).infer().get(0);
    assertEquals(new TensorType(F, shape(BATCH, SEQ, 10)), hot);
    assertEquals(
        shape(BATCH, 10, SEQ),
        op("OneHot").input(I, BATCH, SEQ).ints(10).input(F, 2).attribute("axis", 1L).inferShape());
    assertEquals(
        shape(BATCH, SEQ), op("OneHot").input(I, BATCH).dims(SEQ).input(I, 2).inferShape());
    Dim unknown = op("OneHot").input(I, BATCH).input(I, 1).input(F, 2).inferShape().dim(1);
    assertTrue(unknown.asSymbol().orElseThrow().endsWith(".depth"));
  }

  @Test
  void nonZeroAndCompressCountOnlyWhatTheDataDecides() {
    List<Dim> nonZero = op("NonZero").input(F, BATCH, SEQ).inferShape().dims();
    assertEquals(Dim.of(2), nonZero.get(0));
    assertEquals("the_NonZero.count", nonZero.get(1).asSymbol().orElseThrow());
    assertEquals(
        shape(2, 3),
        op("NonZero").constant(Tensor.ofLongs(new long[] {2, 2}, 1, 0, 5, 7)).inferShape());

    Dim kept =
        op("Compress")
            .input(F, BATCH, SEQ)
            .input(DType.BOOL, SEQ)
            .attribute("axis", 1L)
            .inferShape()
            .dim(1);
    assertEquals("the_Compress.count", kept.asSymbol().orElseThrow());
    assertEquals(
        shape(BATCH, 2),
        op("Compress")
            .input(F, BATCH, 3)
            .constant(Tensor.ofBools(new long[] {3}, true, false, true))
            .attribute("axis", 1L)
            .inferShape());
  }

  @Test
  void uniqueCountsAreDataDependentButTheInverseFollowsTheInput() {
    List<TensorType> flat = op("Unique").input(F, BATCH, SEQ).outputs(4).infer();
    Dim count = flat.get(0).shape().dim(0);
    assertEquals("the_Unique.count", count.asSymbol().orElseThrow());
    assertEquals(shape(count), flat.get(1).shape());
    assertEquals(shape(BATCH.times(SEQ)), flat.get(2).shape());
    List<TensorType> rows = op("Unique").input(I, SEQ, 4).attribute("axis", 0L).outputs(4).infer();
    assertEquals(shape(count, 4), rows.get(0).shape());
    assertEquals(shape(SEQ), rows.get(2).shape());
  }
}
