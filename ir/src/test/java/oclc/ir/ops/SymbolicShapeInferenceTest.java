package oclc.ir.ops;

import static oclc.ir.ops.OpHarness.BATCH;
import static oclc.ir.ops.OpHarness.PAST;
import static oclc.ir.ops.OpHarness.SEQ;
import static oclc.ir.ops.OpHarness.op;
import static oclc.ir.ops.OpHarness.shape;
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
 * Each op family's shape inference keeps `batch_size`, `sequence_length` and `past_sequence_length`
 * symbolic.
 */
class SymbolicShapeInferenceTest {
  private static final DType F = DType.FLOAT32;
  private static final DType I = DType.INT64;
  private static final Dim KEYS = PAST.plus(SEQ);

  @Test
  void unaryOpsKeepTheShapeAndBoolOpsChangeTheType() {
    assertEquals(shape(BATCH, SEQ, 64), op("Tanh").input(F, BATCH, SEQ, 64).inferShape());
    assertEquals(DType.BOOL, op("IsNaN").input(F, BATCH, SEQ).infer().get(0).dtype());
    assertEquals(
        shape(BATCH, SEQ), op("Cast").input(I, BATCH, SEQ).attribute("to", 1L).inferShape());
    assertEquals(F, op("Cast").input(I, BATCH, SEQ).attribute("to", 1L).infer().get(0).dtype());
  }

  @Test
  void binaryOpsBroadcastSymbolicDims() {
    assertEquals(
        shape(BATCH, SEQ, 64), op("Add").input(F, BATCH, SEQ, 64).input(F, 64).inferShape());
    assertEquals(
        shape(BATCH, 4, SEQ, KEYS),
        op("Where")
            .input(DType.BOOL, 1, 1, SEQ, KEYS)
            .input(F, BATCH, 4, SEQ, KEYS)
            .input(F)
            .inferShape());
    assertEquals(DType.BOOL, op("Less").input(F, BATCH, 1).input(F, 1, SEQ).infer().get(0).dtype());
    assertEquals(shape(BATCH, SEQ), op("Less").input(F, BATCH, 1).input(F, 1, SEQ).inferShape());
    assertThrows(ShapeInferenceException.class, () -> op("Mul").input(F, 3, 4).input(F, 5).infer());
  }

  @Test
  void arithmeticOverDimsFoldsShapeComputations() {
    assertEquals(List.of(KEYS), op("Add").dims(PAST).dims(SEQ).symbolic().elements());
    assertEquals(
        List.of(SEQ.floorDiv(Dim.of(4))), op("Div").dims(SEQ).ints(4).symbolic().elements());
    assertEquals(
        List.of(Dim.of(0), Dim.of(0)),
        op("Equal").dims(SEQ, Dim.of(4)).ints(-1, -1).symbolic().elements());
    assertEquals(
        List.of(SEQ, Dim.of(4)),
        op("Where")
            .constant(Tensor.ofBools(new long[] {2}, false, false))
            .ints(1, 1)
            .dims(SEQ, Dim.of(4))
            .symbolic()
            .elements());
  }

  @Test
  void shapeGatherUnsqueezeConcatReshapeGiveTheHeadSplit() {
    List<Dim> shapeOfX = op("Shape").input(F, BATCH, SEQ, 64).symbolic().elements();
    assertEquals(List.of(BATCH, SEQ, Dim.of(64)), shapeOfX);
    Dim batch =
        op("Gather")
            .dims(shapeOfX.toArray(Dim[]::new))
            .constant(Tensor.scalarLong(0))
            .symbolic()
            .element(0);
    assertEquals(BATCH, batch);
    assertEquals(
        shape(BATCH, SEQ, 4, 16),
        op("Reshape")
            .input(F, BATCH, SEQ, 64)
            .dims(batch, SEQ, Dim.of(4), Dim.of(16))
            .inferShape());
    assertEquals(
        shape(BATCH, SEQ, 4, 16),
        op("Reshape").input(F, BATCH, SEQ, 64).ints(0, 0, 4, -1).inferShape());
    assertEquals(
        shape(BATCH.times(SEQ), 64),
        op("Reshape").input(F, BATCH, SEQ, 64).ints(-1, 64).inferShape());
    assertEquals(shape(BATCH, SEQ.times(64)), op("Flatten").input(F, BATCH, SEQ, 64).inferShape());
    assertEquals(
        List.of(BATCH, SEQ, Dim.of(4)),
        op("Concat").dims(BATCH, SEQ).ints(4).attribute("axis", 0L).symbolic().elements());
  }

  @Test
  void squeezeUnsqueezeConcatAndSplitWorkOnSymbolicAxes() {
    assertEquals(shape(1, SEQ), op("Unsqueeze").input(I, SEQ).ints(0).inferShape());
    assertEquals(
        shape(1, SEQ),
        op("Unsqueeze").opset(11).input(I, SEQ).attribute("axes", new long[] {0}).inferShape());
    assertEquals(shape(SEQ), op("Squeeze").input(I, 1, SEQ).ints(0).inferShape());
    assertEquals(
        shape(BATCH, 4, KEYS, 16),
        op("Concat")
            .input(F, BATCH, 4, PAST, 16)
            .input(F, BATCH, 4, SEQ, 16)
            .attribute("axis", 2L)
            .inferShape());
    var parts = op("Split").input(F, BATCH, SEQ, 192).attribute("axis", 2L).outputs(3).infer();
    assertEquals(3, parts.size());
    parts.forEach(p -> assertEquals(shape(BATCH, SEQ, 64), p.shape()));
    var halves = op("Split").input(F, BATCH, SEQ.times(2)).attribute("axis", 1L).outputs(2).infer();
    assertEquals(shape(BATCH, SEQ), halves.get(1).shape());
  }

  @Test
  void sliceOfTheCausalMaskIsSymbolicAndRecordsOneAssumption() {
    var slice = op("Slice").input(DType.BOOL, 1, 1, 128, 128).dims(PAST).dims(KEYS).ints(2).ints(1);
    assertEquals(shape(1, 1, SEQ, 128), slice.inferShape());
    assertEquals(1, slice.assumptions().size());
    assertEquals(KEYS, slice.assumptions().get(0).lessOrEqual());
    assertEquals(Dim.of(128), slice.assumptions().get(0).bound());
    assertEquals(
        shape(BATCH, SEQ.minus(1)),
        op("Slice").input(F, BATCH, SEQ).ints(1).ints(Integer.MAX_VALUE).ints(1).inferShape());
    assertEquals(
        shape(BATCH, 2),
        op("Slice").input(F, BATCH, SEQ).ints(-2).ints(Integer.MAX_VALUE).ints(1).inferShape());
  }

  @Test
  void rangeConstantOfShapeExpandAndTileFollowTheirShapeInputs() {
    assertEquals(shape(SEQ), op("Range").dims(PAST).dims(KEYS).ints(1).inferShape());
    assertEquals(
        shape(SEQ.ceilDiv(Dim.of(2))), op("Range").dims(Dim.of(0)).dims(SEQ).ints(2).inferShape());
    assertEquals(shape(BATCH, SEQ), op("ConstantOfShape").dims(BATCH, SEQ).inferShape());
    assertEquals(
        shape(BATCH, 4, SEQ, KEYS),
        op("Expand")
            .input(F, 1, 1, SEQ, KEYS)
            .dims(BATCH, Dim.of(4), Dim.of(1), Dim.of(1))
            .inferShape());
    assertEquals(
        shape(BATCH.times(2), SEQ), op("Tile").input(F, BATCH, SEQ).ints(2, 1).inferShape());
    assertEquals(
        shape(BATCH, SEQ.plus(3)), op("Pad").input(F, BATCH, SEQ).ints(0, 1, 0, 2).inferShape());
  }

  @Test
  void shapeInputsKnownOnlyAtRunTimeAreReportedAsSuch() {
    assertThrows(
        DataDependentShapeException.class,
        () -> op("Reshape").input(F, BATCH, SEQ).input(I, 2).infer());
  }

  @Test
  void movementOpsPermuteAndGatherDims() {
    assertEquals(
        shape(BATCH, 4, SEQ, 16),
        op("Transpose")
            .input(F, BATCH, SEQ, 4, 16)
            .attribute("perm", new long[] {0, 2, 1, 3})
            .inferShape());
    assertEquals(
        shape(BATCH, SEQ, 64), op("Gather").input(F, 500, 64).input(I, BATCH, SEQ).inferShape());
    assertEquals(
        shape(BATCH, 3),
        op("GatherElements")
            .input(F, BATCH, SEQ)
            .input(I, BATCH, 3)
            .attribute("axis", 1L)
            .inferShape());
    assertEquals(shape(SEQ, SEQ), op("Trilu").input(F, SEQ, SEQ).inferShape());
  }

  @Test
  void reductionsDropOrKeepTheReducedAxes() {
    assertEquals(
        shape(BATCH, SEQ, 1),
        op("ReduceMean")
            .opset(16)
            .input(F, BATCH, SEQ, 64)
            .attribute("axes", new long[] {-1})
            .inferShape());
    assertEquals(
        shape(BATCH, SEQ),
        op("ReduceSum").input(F, BATCH, SEQ, 64).ints(2).attribute("keepdims", 0L).inferShape());
    assertEquals(
        shape(BATCH, 4, SEQ, KEYS), op("Softmax").input(F, BATCH, 4, SEQ, KEYS).inferShape());
    assertEquals(
        shape(BATCH),
        op("ArgMax")
            .input(F, BATCH, SEQ)
            .attribute("axis", 1L)
            .attribute("keepdims", 0L)
            .inferShape());
    var topK = op("TopK").input(F, BATCH, SEQ).ints(5).outputs(2).infer();
    assertEquals(shape(BATCH, 5), topK.get(0).shape());
    assertEquals(I, topK.get(1).dtype());
  }

  @Test
  void matrixProductsAndNormalizationsKeepSymbolicRowsAndKeys() {
    assertEquals(
        shape(BATCH, 4, SEQ, KEYS),
        op("MatMul").input(F, BATCH, 4, SEQ, 16).input(F, BATCH, 4, 16, KEYS).inferShape());
    assertEquals(
        shape(BATCH, SEQ, 192),
        op("MatMul").input(F, BATCH, SEQ, 64).input(F, 64, 192).inferShape());
    assertEquals(
        shape(BATCH, SEQ), op("MatMul").input(F, BATCH, SEQ, 64).input(F, 64).inferShape());
    assertEquals(
        shape(BATCH.times(SEQ), 192),
        op("Gemm").input(F, BATCH.times(SEQ), 64).input(F, 64, 192).input(F, 192).inferShape());
    assertEquals(
        shape(BATCH.times(SEQ), 192),
        op("Gemm")
            .input(F, BATCH.times(SEQ), 64)
            .input(F, 192, 64)
            .attribute("transB", 1L)
            .inferShape());
    assertEquals(
        shape(BATCH, SEQ, 64),
        op("LayerNormalization").input(F, BATCH, SEQ, 64).input(F, 64).input(F, 64).inferShape());
    assertEquals(
        shape(BATCH, SEQ, 1),
        op("LayerNormalization")
            .input(F, BATCH, SEQ, 64)
            .input(F, 64)
            .outputs(3)
            .infer()
            .get(1)
            .shape());
    assertEquals(
        shape(BATCH, SEQ, 8),
        op("Einsum")
            .input(F, BATCH, SEQ, 4)
            .input(F, 4, 8)
            .attribute("equation", "bsk,kn->bsn")
            .inferShape());
  }

  @Test
  void attentionWithACacheGrowsTheKeysByTheNewTokens() {
    var types =
        op("Attention")
            .input(F, BATCH, 8, SEQ, 16)
            .input(F, BATCH, 2, SEQ, 16)
            .input(F, BATCH, 2, SEQ, 16)
            .absent()
            .input(F, BATCH, 2, PAST, 16)
            .input(F, BATCH, 2, PAST, 16)
            .outputs(4)
            .infer();
    assertEquals(shape(BATCH, 8, SEQ, 16), types.get(0).shape());
    assertEquals(shape(BATCH, 2, KEYS, 16), types.get(1).shape());
    assertEquals(shape(BATCH, 8, SEQ, KEYS), types.get(3).shape());
    assertEquals(
        shape(BATCH, SEQ, 64),
        op("Attention")
            .input(F, BATCH, SEQ, 64)
            .input(F, BATCH, SEQ, 32)
            .input(F, BATCH, SEQ, 32)
            .attribute("q_num_heads", 4L)
            .attribute("kv_num_heads", 2L)
            .inferShape());
    assertEquals(
        shape(BATCH, SEQ, 64),
        op("RotaryEmbedding")
            .input(F, BATCH, SEQ, 64)
            .input(F, 128, 8)
            .input(F, 128, 8)
            .input(I, BATCH, SEQ)
            .inferShape());
  }
}
