package oclc.ir.ops;

import static oclc.ir.ops.OpHarness.BATCH;
import static oclc.ir.ops.OpHarness.PAST;
import static oclc.ir.ops.OpHarness.SEQ;
import static oclc.ir.ops.OpHarness.op;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.NoSuchElementException;
import oclc.ir.DType;
import oclc.ir.Dim;
import oclc.ir.SymbolicTensor;
import oclc.ir.Tensor;
import org.junit.jupiter.api.Test;

/**
 * Elementwise ops over dims: the shape arithmetic of GPT-2 exports (sizes added, compared, picked
 * by Where, cast) folds at compile time, and what depends on the symbols' values stays unfolded.
 */
class ElementwiseSymbolicTest {
  private static final Dim FALSE = Dim.of(0);
  private static final Dim TRUE = Dim.of(1);

  /** The op cannot decide its result for every value of the symbols, so it is not folded. */
  private static void assertUndecided(OpHarness harness) {
    assertThrows(NoSuchElementException.class, harness::symbolic);
  }

  private static OpHarness boolConstant(String opType, boolean... values) {
    return op(opType).constant(Tensor.ofBools(new long[] {values.length}, values));
  }

  @Test
  void addOfPastAndSequenceLengthIsTheTotalLength() {
    SymbolicTensor total = op("Add").dims(PAST).dims(SEQ).symbolic();
    assertEquals(DType.INT64, total.dtype());
    assertEquals(List.of(PAST.plus(SEQ)), total.elements());
    assertEquals("past_sequence_length + sequence_length", total.element(0).toString());
  }

  @Test
  void arithmeticBroadcastsOverTheDimsTensorsShape() {
    assertEquals(
        List.of(SEQ.plus(1), Dim.of(5)),
        op("Add").dims(SEQ, Dim.of(4)).ints(1).symbolic().elements());
    assertEquals(List.of(SEQ.minus(PAST)), op("Sub").dims(SEQ).dims(PAST).symbolic().elements());
    assertEquals(
        List.of(BATCH.times(SEQ), BATCH.times(12)),
        op("Mul").dims(BATCH).dims(SEQ, Dim.of(12)).symbolic().elements());
    assertEquals(
        List.of(PAST.plus(SEQ).plus(1)),
        op("Sum").dims(PAST).dims(SEQ).ints(1).symbolic().elements());
    assertEquals(List.of(SEQ.times(-1)), op("Neg").dims(SEQ).symbolic().elements());
  }

  @Test
  void integerDivisionFoldsOnlyWhereTruncationIsFloorDivision() {
    assertEquals(
        List.of(SEQ.floorDiv(Dim.of(4))), op("Div").dims(SEQ).ints(4).symbolic().elements());
    assertEquals(List.of(Dim.of(-3)), op("Div").ints(-7).ints(2).symbolic().elements());
    assertUndecided(op("Div").dims(SEQ.minus(1)).ints(4));
    assertUndecided(op("Div").dims(SEQ).ints(-2));
  }

  @Test
  void modFollowsTheFmodAttribute() {
    assertEquals(List.of(SEQ.mod(Dim.of(4))), op("Mod").dims(SEQ).ints(4).symbolic().elements());
    assertEquals(
        List.of(SEQ.minus(5).mod(Dim.of(4))),
        op("Mod").dims(SEQ.minus(5)).ints(4).symbolic().elements());
    assertUndecided(op("Mod").attribute("fmod", 1L).dims(SEQ.minus(5)).ints(4));
    assertEquals(List.of(Dim.of(2)), op("Mod").ints(-7).ints(3).symbolic().elements());
    assertEquals(
        List.of(Dim.of(-1)),
        op("Mod").attribute("fmod", 1L).ints(-7).ints(3).symbolic().elements());
  }

  @Test
  void maxAndMinSimplifyWhereTheOrderIsKnown() {
    assertEquals(List.of(SEQ), op("Max").dims(SEQ).ints(0).symbolic().elements());
    assertEquals(List.of(SEQ), op("Min").dims(PAST.plus(SEQ)).dims(SEQ).symbolic().elements());
    assertEquals(List.of(SEQ.max(PAST)), op("Max").dims(SEQ).dims(PAST).symbolic().elements());
  }

  @Test
  void equalOfSequenceLengthAndMinusOneIsFalseBecauseSizesAreNonNegative() {
    SymbolicTensor equal = op("Equal").dims(SEQ, Dim.of(4)).ints(-1, -1).symbolic();
    assertEquals(DType.BOOL, equal.dtype());
    assertEquals(List.of(FALSE, FALSE), equal.elements());
    assertEquals(
        List.of(TRUE, FALSE),
        op("Equal").dims(SEQ, SEQ).dims(SEQ, PAST.plus(SEQ).plus(1)).symbolic().elements());
    assertUndecided(op("Equal").dims(SEQ).dims(PAST));
  }

  @Test
  void orderComparisonsFoldWhenTheSignOfTheDifferenceIsKnown() {
    assertEquals(List.of(FALSE), op("Less").dims(SEQ).ints(0).symbolic().elements());
    assertEquals(List.of(TRUE), op("GreaterOrEqual").dims(SEQ).ints(-1).symbolic().elements());
    assertEquals(
        List.of(TRUE), op("Greater").dims(PAST.plus(SEQ).plus(1)).dims(SEQ).symbolic().elements());
    assertEquals(
        List.of(TRUE), op("LessOrEqual").dims(SEQ).dims(SEQ.plus(1)).symbolic().elements());
    assertEquals(
        List.of(TRUE, FALSE),
        op("LessOrEqual")
            .dims(SEQ, PAST.plus(SEQ).plus(1))
            .dims(PAST.plus(SEQ), SEQ)
            .symbolic()
            .elements());
    assertUndecided(op("Less").dims(SEQ).ints(4));
  }

  @Test
  void whereOfAFoldedConditionPicksTheBranch() {
    SymbolicTensor condition = op("Equal").dims(SEQ, Dim.of(4)).ints(-1, 4).symbolic();
    boolean[] values = new boolean[condition.size()];
    for (int i = 0; i < values.length; i++) {
      values[i] = condition.element(i).constant() != 0;
    }
    SymbolicTensor picked =
        boolConstant("Where", values).ints(1, 1).dims(SEQ, Dim.of(4)).symbolic();
    assertEquals(List.of(SEQ, Dim.of(1)), picked.elements());
    assertEquals(
        List.of(BATCH, BATCH),
        boolConstant("Where", false, false).dims(SEQ).dims(BATCH).symbolic().elements());
    assertUndecided(op("Where").dims(SEQ.minus(PAST)).dims(SEQ).dims(BATCH));
  }

  @Test
  void logicalOpsFoldOnKnownBools() {
    assertEquals(List.of(FALSE, TRUE), boolConstant("Not", true, false).symbolic().elements());
    assertEquals(DType.BOOL, boolConstant("Not", true).symbolic().dtype());
    OpHarness and = boolConstant("And", true, true, false);
    assertEquals(
        List.of(TRUE, FALSE, FALSE),
        and.constant(Tensor.ofBools(new long[] {3}, true, false, true)).symbolic().elements());
    OpHarness or = boolConstant("Or", true, false);
    assertEquals(
        List.of(TRUE, FALSE),
        or.constant(Tensor.ofBools(new long[] {1}, false)).symbolic().elements());
  }

  @Test
  void castBetweenIntegersKeepsDimsAndToBoolDecidesByTheSign() {
    SymbolicTensor narrowed =
        op("Cast").attribute("to", (long) DType.INT32.onnxCode()).dims(SEQ, Dim.of(3)).symbolic();
    assertEquals(DType.INT32, narrowed.dtype());
    assertEquals(List.of(SEQ, Dim.of(3)), narrowed.elements());
    SymbolicTensor truth =
        op("Cast")
            .attribute("to", (long) DType.BOOL.onnxCode())
            .dims(SEQ.plus(1), Dim.of(0))
            .symbolic();
    assertEquals(List.of(TRUE, FALSE), truth.elements());
    assertEquals(DType.BOOL, truth.dtype());
    assertUndecided(op("Cast").attribute("to", (long) DType.BOOL.onnxCode()).dims(SEQ));
    assertEquals(
        List.of(Dim.of(44)),
        op("Cast").attribute("to", (long) DType.UINT8.onnxCode()).ints(300).symbolic().elements());
    SymbolicTensor fromBool =
        boolConstant("Cast", true, false).attribute("to", (long) DType.INT64.onnxCode()).symbolic();
    assertEquals(List.of(TRUE, FALSE), fromBool.elements());
    assertUndecided(op("Cast").attribute("to", (long) DType.FLOAT32.onnxCode()).dims(SEQ));
  }

  @Test
  void absSignAndReluFoldWhereTheSignIsKnown() {
    assertEquals(
        List.of(SEQ, SEQ, Dim.of(5)),
        op("Abs").dims(SEQ, SEQ.times(-1), Dim.of(-5)).symbolic().elements());
    assertUndecided(op("Abs").dims(SEQ.minus(3)));
    assertEquals(
        List.of(TRUE, Dim.of(-1), FALSE),
        op("Sign").dims(SEQ.plus(1), Dim.of(-4), Dim.of(0)).symbolic().elements());
    assertEquals(List.of(SEQ, FALSE), op("Relu").dims(SEQ, SEQ.times(-1)).symbolic().elements());
  }

  @Test
  void floatInputsAreNotShapeArithmetic() {
    assertUndecided(op("Add").dims(SEQ).constant(Tensor.ofFloats(new long[] {1}, 1f)));
    assertUndecided(op("Pow").dims(SEQ).ints(2));
    SymbolicTensor twoByOne =
        op("Add").constant(Tensor.ofLongs(new long[] {2, 1}, 1, 2)).dims(SEQ, PAST).symbolic();
    assertArrayEquals(new long[] {2, 2}, twoByOne.shape());
    assertEquals(
        List.of(SEQ.plus(1), PAST.plus(1), SEQ.plus(2), PAST.plus(2)), twoByOne.elements());
  }
}
