package oclc.ir.ops;

import static oclc.ir.ops.ElementwiseTesting.assertBools;
import static oclc.ir.ops.ElementwiseTesting.assertDoubles;
import static oclc.ir.ops.ElementwiseTesting.assertLongs;
import static oclc.ir.ops.ElementwiseTesting.bools;
import static oclc.ir.ops.ElementwiseTesting.doubles;
import static oclc.ir.ops.ElementwiseTesting.longs;
import static oclc.ir.ops.ElementwiseTesting.vector;
import static oclc.ir.ops.OpHarness.BATCH;
import static oclc.ir.ops.OpHarness.SEQ;
import static oclc.ir.ops.OpHarness.op;
import static oclc.ir.ops.OpHarness.shape;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import oclc.ir.DType;
import oclc.ir.OclcException;
import oclc.ir.ShapeInferenceException;
import oclc.ir.Tensor;
import oclc.ir.TensorType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The broadcast ops of two or more inputs: types, broadcasting, exact integers, unsigned order. */
class BinaryMathTest {
  private static final DType F = DType.FLOAT32;
  private static final long TWO_TO_53 = 1L << 53;

  private static Tensor run(String opType, Tensor... inputs) {
    return op(opType).evaluate(inputs).get(0);
  }

  @ParameterizedTest
  @ValueSource(strings = {"Add", "Sub", "Mul", "Div", "Pow", "Mod", "Sum", "Max", "Min", "Mean"})
  void numericOpsBroadcastSymbolicDimsAndKeepTheType(String opType) {
    assertEquals(
        new TensorType(F, shape(BATCH, SEQ, 64)),
        op(opType).input(F, BATCH, SEQ, 64).input(F, 64).infer().get(0));
    assertEquals(shape(BATCH, SEQ), op(opType).input(F, BATCH, 1).input(F, 1, SEQ).inferShape());
    assertThrows(
        ShapeInferenceException.class, () -> op(opType).input(F, 3, 4).input(F, 5).infer());
  }

  @ParameterizedTest
  @ValueSource(strings = {"Equal", "Less", "LessOrEqual", "Greater", "GreaterOrEqual"})
  void comparisonsYieldBoolsOfTheBroadcastShape(String opType) {
    assertEquals(
        new TensorType(DType.BOOL, shape(BATCH, SEQ)),
        op(opType).input(DType.INT64, BATCH, 1).input(DType.INT64, SEQ).infer().get(0));
    assertThrows(
        ShapeInferenceException.class,
        () -> op(opType).input(F, SEQ).input(DType.FLOAT64, SEQ).infer());
  }

  @Test
  void inputTypesMustMatchAndSuitTheOp() {
    assertThrows(
        ShapeInferenceException.class,
        () -> op("Add").input(F, SEQ).input(DType.INT64, SEQ).infer());
    assertThrows(
        ShapeInferenceException.class,
        () -> op("Add").input(DType.BOOL, SEQ).input(DType.BOOL, SEQ).infer());
    assertThrows(
        ShapeInferenceException.class,
        () -> op("And").input(DType.INT32, SEQ).input(DType.INT32, SEQ).infer());
    assertThrows(
        ShapeInferenceException.class,
        () -> op("BitShift").input(DType.INT32, SEQ).input(DType.INT32, SEQ).infer());
    assertThrows(
        ShapeInferenceException.class, () -> op("BitwiseAnd").input(F, SEQ).input(F, SEQ).infer());
    assertThrows(
        ShapeInferenceException.class,
        () -> op("Mean").input(DType.INT32, SEQ).input(DType.INT32, SEQ).infer());
    assertEquals(
        DType.BOOL,
        op("Equal").input(DType.BOOL, SEQ).input(DType.BOOL, SEQ).infer().get(0).dtype());
    assertEquals(
        new TensorType(DType.INT32, shape(BATCH, SEQ)),
        op("Pow").input(DType.INT32, BATCH, SEQ).input(F, 1).infer().get(0));
  }

  @Test
  void addBroadcastsARowOverAMatrix() {
    Tensor matrix = Tensor.ofFloats(new long[] {2, 3}, 1, 2, 3, 4, 5, 6);
    Tensor sum = run("Add", matrix, Tensor.ofFloats(new long[] {3}, 10, 20, 30));
    assertArrayEquals(new long[] {2, 3}, sum.shape());
    assertArrayEquals(new float[] {11, 22, 33, 14, 25, 36}, sum.toFloatArray());
    Tensor column = run("Sub", matrix, Tensor.ofFloats(new long[] {2, 1}, 1, 4));
    assertArrayEquals(new float[] {0, 1, 2, 0, 1, 2}, column.toFloatArray());
  }

  @Test
  void int64ArithmeticIsExactBeyondTwoToThe53() {
    assertLongs(
        run("Add", longs(DType.INT64, TWO_TO_53 + 1), longs(DType.INT64, 1)),
        DType.INT64,
        TWO_TO_53 + 2);
    assertLongs(
        run("Sub", longs(DType.INT64, Long.MAX_VALUE), longs(DType.INT64, 1)),
        DType.INT64,
        Long.MAX_VALUE - 1);
    assertLongs(
        run("Mul", longs(DType.INT64, 3037000499L), longs(DType.INT64, 3037000499L)),
        DType.INT64,
        9223372030926249001L);
    assertLongs(
        run("Add", longs(DType.INT8, 127), longs(DType.INT8, 1)),
        DType.INT8,
        -128); // wraps like the type
  }

  @Test
  void integerDivisionTruncatesTowardZeroAndUint64DividesUnsigned() {
    assertLongs(
        run("Div", longs(DType.INT32, 7, -7, 7, -7), longs(DType.INT32, 2, 2, -2, -2)),
        DType.INT32,
        3,
        -3,
        -3,
        3);
    assertDoubles(run("Div", doubles(7, -1), doubles(2, 4)), 3.5, -0.25);
    assertLongs(
        run("Div", longs(DType.UINT64, -2L), longs(DType.UINT64, 2)), DType.UINT64, Long.MAX_VALUE);
    assertThrows(
        OclcException.class, () -> run("Div", longs(DType.INT64, 1), longs(DType.INT64, 0)));
  }

  @Test
  void modTakesTheDivisorsSignUnlessFmodAsksForTheDividends() {
    Tensor a = longs(DType.INT64, 7, -7, 7, -7);
    Tensor b = longs(DType.INT64, 3, 3, -3, -3);
    assertLongs(run("Mod", a, b), DType.INT64, 1, 2, -2, -1);
    assertLongs(op("Mod").attribute("fmod", 1L).evaluate(a, b).get(0), DType.INT64, 1, -1, 1, -1);
    assertDoubles(
        op("Mod").attribute("fmod", 1L).evaluate(doubles(5.5, -5.5), doubles(2, 2)).get(0),
        1.5,
        -1.5);
    assertDoubles(run("Mod", doubles(-5.5, 5.5, 4), doubles(2, -2, 2)), 0.5, -0.5, 0);
    assertLongs(
        run("Mod", longs(DType.UINT64, -1L), longs(DType.UINT64, 10)),
        DType.UINT64,
        5); // 2^64-1 = 18446744073709551615
  }

  @Test
  void powIsExactOnIntegersAndHasTheBasesType() {
    assertDoubles(run("Pow", doubles(2, 4, 2), doubles(3, 0.5, -1)), 8, 2, 0.5);
    assertLongs(
        run("Pow", longs(DType.INT64, 3), longs(DType.INT64, 39)),
        DType.INT64,
        4052555153018976267L);
    assertLongs(
        run("Pow", longs(DType.INT64, 2, -1, 1, -3), longs(DType.INT64, -1, -3, -5, 2)),
        DType.INT64,
        0,
        -1,
        1,
        9);
    assertLongs(run("Pow", longs(DType.INT32, 2, 3), vector(F, 0.5, 2)), DType.INT32, 1, 9);
    assertDoubles(run("Pow", vector(F, 1.5, 2), longs(DType.INT64, 2, 10)), 2.25, 1024);
    assertEquals(F, run("Pow", vector(F, 1.5), longs(DType.INT64, 2)).dtype());
  }

  @Test
  void preluScalesNegativesBySlope() {
    assertDoubles(run("PRelu", doubles(-2, 3, -4), doubles(0.5)), -1, 3, -2);
    assertLongs(
        run("PRelu", longs(DType.INT32, -2, 3), longs(DType.INT32, 3, 3)), DType.INT32, -6, 3);
  }

  @Test
  void bitwiseOpsAndShifts() {
    Tensor a = longs(DType.INT32, 12, -1);
    Tensor b = longs(DType.INT32, 10, 5);
    assertLongs(run("BitwiseAnd", a, b), DType.INT32, 8, 5);
    assertLongs(run("BitwiseOr", a, b), DType.INT32, 14, -1);
    assertLongs(run("BitwiseXor", a, b), DType.INT32, 6, -6);
    Tensor left =
        op("BitShift")
            .attribute("direction", "LEFT")
            .evaluate(longs(DType.UINT8, 1, 0x81, 1), longs(DType.UINT8, 3, 1, 8))
            .get(0);
    assertLongs(left, DType.UINT8, 8, 0x02, 0);
    Tensor right =
        op("BitShift")
            .attribute("direction", "RIGHT")
            .evaluate(longs(DType.UINT64, Long.MIN_VALUE, -1L), longs(DType.UINT64, 63, 64))
            .get(0);
    assertLongs(right, DType.UINT64, 1, 0);
  }

  @Test
  void logicalOpsBroadcastBools() {
    Tensor matrix = Tensor.ofBools(new long[] {2, 2}, true, false, true, true);
    Tensor row = bools(true, false);
    assertBools(run("And", matrix, row), true, false, true, false);
    assertBools(run("Or", matrix, row), true, false, true, true);
    assertBools(run("Xor", matrix, row), false, false, false, true);
  }

  @Test
  void comparisonsUseTheElementTypesOwnOrder() {
    Tensor big = longs(DType.INT64, TWO_TO_53, TWO_TO_53 + 1);
    Tensor bigger = longs(DType.INT64, TWO_TO_53 + 1, TWO_TO_53 + 1);
    assertBools(run("Equal", big, bigger), false, true);
    assertBools(run("Less", big, bigger), true, false);
    assertBools(run("LessOrEqual", big, bigger), true, true);
    assertBools(run("Greater", big, bigger), false, false);
    assertBools(run("GreaterOrEqual", big, bigger), false, true);
    assertBools(
        run("Greater", longs(DType.UINT64, -1L, 1), longs(DType.UINT64, 1, -1L)), true, false);
    assertBools(run("Equal", bools(true, false), bools(true, true)), true, false);
  }

  @Test
  void comparisonsWithNanAreFalse() {
    Tensor nan = doubles(Double.NaN, 1, -0.0);
    Tensor one = doubles(1, Double.NaN, 0.0);
    for (String opType : new String[] {"Less", "LessOrEqual", "Greater", "GreaterOrEqual"}) {
      assertBools(run(opType, nan, one), false, false, opType.endsWith("Equal"));
    }
    assertBools(run("Equal", nan, one), false, false, true);
  }

  @Test
  void variadicOpsFoldAnyNumberOfBroadcastInputs() {
    Tensor a = doubles(1, 5);
    Tensor b = Tensor.ofDoubles(DType.FLOAT64, new long[] {2, 1}, 3, -2);
    Tensor c = doubles(2);
    Tensor sum = run("Sum", a, b, c);
    assertArrayEquals(new long[] {2, 2}, sum.shape());
    assertDoubles(sum, 6, 10, 1, 5);
    assertDoubles(run("Max", a, b, c), 3, 5, 2, 5);
    assertDoubles(run("Min", a, b, c), 1, 2, -2, -2);
    assertDoubles(run("Mean", a, b, c), 2, 10 / 3.0, 1 / 3.0, 5 / 3.0);
    assertDoubles(run("Sum", a), 1, 5);
    assertLongs(
        run("Max", longs(DType.UINT64, -1L, 3), longs(DType.UINT64, 2, 4)), DType.UINT64, -1L, 4);
    assertLongs(
        run("Min", longs(DType.INT64, TWO_TO_53 + 1), longs(DType.INT64, TWO_TO_53 + 2)),
        DType.INT64,
        TWO_TO_53 + 1);
  }
}
