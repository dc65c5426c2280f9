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
import oclc.ir.ShapeAssertion;
import oclc.ir.ShapeInferenceException;
import oclc.ir.SymbolicTensor;
import oclc.ir.Tensor;
import org.junit.jupiter.api.Test;

/** Shape, Size, Gather, Unsqueeze, Squeeze and Concat, over dims and over concrete tensors. */
class ShapeArithmeticTest {
  private static final DType F = DType.FLOAT32;
  private static final Dim KEYS = PAST.plus(SEQ);

  @Test
  void gpt2ShapeChainFoldsToSymbolicShapesAndOneMaskAssumption() {
    // Shape(x) → Gather(…, 0), Gather(…, 1) → Unsqueeze → Concat with [4], [16] → Reshape
    SymbolicTensor shapeOfX = node("Shape").input(F, BATCH, SEQ, 64).fold();
    SymbolicTensor batch = node("Gather").symbolic(shapeOfX).constant(Tensor.scalarLong(0)).fold();
    SymbolicTensor sequence =
        node("Gather").symbolic(shapeOfX).constant(Tensor.scalarLong(1)).fold();
    assertArrayEquals(new long[0], batch.shape());
    SymbolicTensor batchVector = node("Unsqueeze").symbolic(batch).ints(0).fold();
    SymbolicTensor sequenceVector =
        node("Unsqueeze").opset(11).symbolic(sequence).attribute("axes", new long[] {0}).fold();
    SymbolicTensor target =
        node("Concat")
            .attribute("axis", 0)
            .symbolic(batchVector)
            .symbolic(sequenceVector)
            .ints(4)
            .ints(16)
            .fold();
    assertEquals(List.of(BATCH, SEQ, Dim.of(4), Dim.of(16)), target.elements());
    assertEquals(
        shape(BATCH, SEQ, 4, 16),
        node("Reshape").input(F, BATCH, SEQ, 64).symbolic(target).inferShape());

    // Range(0, Gather(Shape(x), 1), 1): the position ids
    assertEquals(
        shape(SEQ),
        node("Range")
            .constant(Tensor.scalarLong(0))
            .symbolic(sequence)
            .constant(Tensor.scalarLong(1))
            .inferShape());

    // The causal mask: bias[:, :, key_length - query_length : key_length, :key_length]
    SymbolicTensor keyLength =
        node("Gather")
            .symbolic(node("Shape").input(F, BATCH, 4, KEYS, 16).fold())
            .constant(Tensor.scalarLong(2))
            .fold();
    SymbolicTensor queryLength =
        node("Gather")
            .symbolic(node("Shape").input(F, BATCH, 4, SEQ, 16).fold())
            .constant(Tensor.scalarLong(-2))
            .fold();
    SymbolicTensor start =
        node("Unsqueeze")
            .symbolic(
                SymbolicTensor.scalar(
                    DType.INT64, keyLength.element(0).minus(queryLength.element(0))))
            .ints(0)
            .fold();
    SymbolicTensor end = node("Unsqueeze").symbolic(keyLength).ints(0).fold();
    SymbolicTensor starts = node("Concat").attribute("axis", 0).symbolic(start).ints(0).fold();
    SymbolicTensor ends = node("Concat").attribute("axis", 0).symbolic(end).symbolic(end).fold();
    assertEquals(List.of(PAST, Dim.of(0)), starts.elements());
    ShapeOpCase mask =
        node("Slice").input(DType.BOOL, 1, 1, 128, 128).symbolic(starts).symbolic(ends).ints(2, 3);
    assertEquals(shape(1, 1, SEQ, KEYS), mask.inferShape());
    assertEquals(1, mask.assumptions().size());
    ShapeAssertion only = mask.assumptions().get(0);
    assertEquals(
        "past_sequence_length + sequence_length <= 128",
        only.lessOrEqual() + " <= " + only.bound());
  }

  @Test
  void shapeGivesTheDimsAsInt64DataWithStartAndEndFromOpset15() {
    assertEquals(
        List.of(BATCH, SEQ, Dim.of(64)), node("Shape").input(F, BATCH, SEQ, 64).fold().elements());
    assertEquals(shape(3), node("Shape").input(F, BATCH, SEQ, 64).inferShape());
    assertEquals(DType.INT64, node("Shape").input(F, BATCH).infer().get(0).dtype());
    assertEquals(
        List.of(SEQ),
        node("Shape")
            .opset(15)
            .input(F, BATCH, SEQ, 64)
            .attribute("start", 1)
            .attribute("end", -1)
            .fold()
            .elements());
    assertEquals(
        List.of(Dim.of(64)),
        node("Shape").opset(15).input(F, BATCH, SEQ, 64).attribute("start", -1).fold().elements());
    assertEquals(
        List.of(),
        node("Shape")
            .opset(15)
            .input(F, BATCH, SEQ, 64)
            .attribute("start", 2)
            .attribute("end", 1)
            .fold()
            .elements());
    assertEquals(
        List.of(BATCH, SEQ, Dim.of(64)),
        node("Shape")
            .opset(15)
            .input(F, BATCH, SEQ, 64)
            .attribute("start", -10)
            .attribute("end", 10)
            .fold()
            .elements());
    Tensor x = Tensor.allocate(F, 2, 3, 5);
    assertArrayEquals(new long[] {2, 3, 5}, node("Shape").evaluateOne(x).toLongArray());
    assertArrayEquals(
        new long[] {3},
        node("Shape")
            .opset(15)
            .attribute("start", 1)
            .attribute("end", 2)
            .evaluateOne(x)
            .toLongArray());
  }

  @Test
  void sizeIsTheElementCountAsAScalar() {
    SymbolicTensor size = node("Size").input(F, BATCH, SEQ, 64).fold();
    assertArrayEquals(new long[0], size.shape());
    assertEquals(BATCH.times(SEQ).times(64), size.element(0));
    assertEquals(shape(), node("Size").input(F, BATCH).inferShape());
    Tensor n = node("Size").evaluateOne(Tensor.allocate(DType.INT8, 2, 3, 4));
    assertEquals(DType.INT64, n.dtype());
    assertArrayEquals(new long[0], n.shape());
    assertEquals(24, n.getLong(0));
  }

  @Test
  void gatherPicksAlongAnyAxisWithNegativeIndices() {
    assertEquals(
        List.of(Dim.of(64), BATCH),
        node("Gather").dims(BATCH, SEQ, Dim.of(64)).ints(-1, 0).fold().elements());
    assertEquals(
        shape(BATCH, SEQ, 64),
        node("Gather").input(F, 500, 64).input(DType.INT64, BATCH, SEQ).inferShape());
    assertEquals(
        shape(3, 2, 2, 5),
        node("Gather")
            .attribute("axis", 1)
            .input(F, 3, 4, 5)
            .input(DType.INT32, 2, 2)
            .inferShape());
    Tensor data = Tensor.ofFloats(new long[] {2, 3}, 1, 2, 3, 4, 5, 6);
    Tensor picked = node("Gather").attribute("axis", 1).evaluateOne(data, longs(2, -3));
    assertArrayEquals(new long[] {2, 2}, picked.shape());
    assertArrayEquals(new float[] {3, 1, 6, 4}, picked.toFloatArray());
    Tensor rows =
        node("Gather").evaluateOne(data, Tensor.ofLongs(DType.INT32, new long[] {1, 1}, -1));
    assertArrayEquals(new long[] {1, 1, 3}, rows.shape());
    assertArrayEquals(new float[] {4, 5, 6}, rows.toFloatArray());
    ShapeInferenceException e =
        assertThrows(
            ShapeInferenceException.class, () -> node("Gather").dims(BATCH, SEQ).ints(2).infer());
    assertTrue(e.getMessage().contains("the_Gather"), e.getMessage());
    assertThrows(
        ShapeInferenceException.class, () -> node("Gather").input(F, 4).input(F, 2).infer());
  }

  @Test
  void unsqueezeInsertsOnesFromAttributeBefore13AndInputAfter() {
    assertEquals(
        shape(1, BATCH, 1, SEQ), node("Unsqueeze").input(F, BATCH, SEQ).ints(0, -2).inferShape());
    assertEquals(
        shape(BATCH, SEQ, 1),
        node("Unsqueeze")
            .opset(11)
            .input(F, BATCH, SEQ)
            .attribute("axes", new long[] {-1})
            .inferShape());
    assertEquals(shape(1, 1, SEQ), node("Unsqueeze").input(F, SEQ).ints(1, 0).inferShape());
    assertThrows(
        ShapeInferenceException.class, () -> node("Unsqueeze").input(F, SEQ).ints(0, 0).infer());
    assertThrows(
        ShapeInferenceException.class, () -> node("Unsqueeze").input(F, SEQ).ints(3).infer());
    Tensor y = node("Unsqueeze").evaluateOne(Tensor.ofFloats(new long[] {2}, 7, 8), longs(0, 2));
    assertArrayEquals(new long[] {1, 2, 1}, y.shape());
    assertArrayEquals(new float[] {7, 8}, y.toFloatArray());
  }

  @Test
  void squeezeRemovesOnesAndAssumesANamedSymbolicDimIsOne() {
    assertEquals(shape(BATCH, SEQ), node("Squeeze").input(F, BATCH, 1, SEQ, 1).inferShape());
    assertEquals(
        shape(BATCH, SEQ, 1), node("Squeeze").input(F, BATCH, 1, SEQ, 1).ints(1).inferShape());
    assertEquals(
        shape(BATCH, 1, SEQ),
        node("Squeeze")
            .opset(11)
            .input(F, BATCH, 1, SEQ, 1)
            .attribute("axes", new long[] {-1})
            .inferShape());
    ShapeOpCase named = node("Squeeze").input(F, BATCH, SEQ).ints(0);
    assertEquals(shape(SEQ), named.inferShape());
    assertEquals(BATCH, named.assumptions().get(0).lessOrEqual());
    assertEquals(Dim.of(1), named.assumptions().get(0).bound());
    assertThrows(
        ShapeInferenceException.class, () -> node("Squeeze").input(F, 3, SEQ).ints(0).infer());
    Tensor y = node("Squeeze").evaluateOne(Tensor.ofFloats(new long[] {1, 3, 1}, 4, 5, 6));
    assertArrayEquals(new long[] {3}, y.shape());
    assertArrayEquals(new float[] {4, 5, 6}, y.toFloatArray());
    assertArrayEquals(
        new long[] {3, 1},
        node("Squeeze")
            .evaluateOne(Tensor.ofFloats(new long[] {1, 3, 1}, 4, 5, 6), longs(0))
            .shape());
  }

  @Test
  void concatAddsTheAxisAndChecksTheOtherDims() {
    assertEquals(
        shape(BATCH, 4, KEYS, 16),
        node("Concat")
            .attribute("axis", -2)
            .input(F, BATCH, 4, PAST, 16)
            .input(F, BATCH, 4, SEQ, 16)
            .inferShape());
    assertEquals(
        List.of(BATCH, SEQ, Dim.of(-1)),
        node("Concat").attribute("axis", 0).dims(BATCH).dims(SEQ).ints(-1).fold().elements());
    assertThrows(
        ShapeInferenceException.class,
        () -> node("Concat").attribute("axis", 0).input(F, 2, 3).input(F, 2, 4).infer());
    assertThrows(
        ShapeInferenceException.class,
        () -> node("Concat").attribute("axis", 0).input(F, 2, 3).input(DType.INT64, 2, 3).infer());
    Tensor a = Tensor.ofFloats(new long[] {2, 1}, 1, 2);
    Tensor b = Tensor.ofFloats(new long[] {2, 2}, 3, 4, 5, 6);
    Tensor joined = node("Concat").attribute("axis", 1).evaluateOne(a, b);
    assertArrayEquals(new long[] {2, 3}, joined.shape());
    assertArrayEquals(new float[] {1, 3, 4, 2, 5, 6}, joined.toFloatArray());
  }
}
