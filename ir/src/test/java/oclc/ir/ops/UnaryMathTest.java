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
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import oclc.ir.DType;
import oclc.ir.ShapeInferenceException;
import oclc.ir.Tensor;
import oclc.ir.TensorType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The one-input elementwise ops: types, and values checked against known ones. */
class UnaryMathTest {
  private static final double PI = Math.PI;

  private static Tensor run(String opType, Tensor x) {
    return op(opType).evaluate(x).get(0);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "Abs",
        "Neg",
        "Exp",
        "Log",
        "Sqrt",
        "Reciprocal",
        "Floor",
        "Ceil",
        "Round",
        "Sign",
        "Sin",
        "Cos",
        "Tan",
        "Asin",
        "Acos",
        "Atan",
        "Sinh",
        "Cosh",
        "Asinh",
        "Acosh",
        "Atanh",
        "Tanh",
        "Erf",
        "Sigmoid",
        "HardSigmoid",
        "HardSwish",
        "Relu",
        "LeakyRelu",
        "Elu",
        "Selu",
        "Celu",
        "Softplus",
        "Softsign",
        "Mish",
        "Gelu",
        "ThresholdedRelu",
        "Shrink"
      })
  void floatOpsKeepTheSymbolicShapeAndTheType(String opType) {
    for (DType type : List.of(DType.FLOAT32, DType.FLOAT16, DType.FLOAT64, DType.BFLOAT16)) {
      assertEquals(
          new TensorType(type, shape(BATCH, SEQ, 64)),
          op(opType).input(type, BATCH, SEQ, 64).infer().get(0));
    }
    assertThrows(ShapeInferenceException.class, () -> op(opType).input(DType.BOOL, SEQ).infer());
  }

  @Test
  void predicatesAndNotYieldBoolsOfTheSameShape() {
    assertEquals(
        new TensorType(DType.BOOL, shape(BATCH, SEQ)),
        op("IsNaN").input(DType.FLOAT16, BATCH, SEQ).infer().get(0));
    assertEquals(
        new TensorType(DType.BOOL, shape(SEQ)),
        op("IsInf").input(DType.FLOAT64, SEQ).infer().get(0));
    assertEquals(
        new TensorType(DType.BOOL, shape(BATCH, 3)),
        op("Not").input(DType.BOOL, BATCH, 3).infer().get(0));
    assertEquals(
        new TensorType(DType.UINT16, shape(SEQ)),
        op("BitwiseNot").input(DType.UINT16, SEQ).infer().get(0));
    assertThrows(ShapeInferenceException.class, () -> op("Not").input(DType.INT32, SEQ).infer());
    assertThrows(ShapeInferenceException.class, () -> op("IsNaN").input(DType.INT32, SEQ).infer());
    assertThrows(
        ShapeInferenceException.class, () -> op("BitwiseNot").input(DType.FLOAT32, SEQ).infer());
    assertThrows(ShapeInferenceException.class, () -> op("Neg").input(DType.UINT8, SEQ).infer());
    assertThrows(ShapeInferenceException.class, () -> op("Exp").input(DType.INT64, SEQ).infer());
  }

  @Test
  void exponentialsLogarithmsAndRoots() {
    assertDoubles(run("Exp", doubles(0, 1, -1)), 1, Math.E, 1 / Math.E);
    assertDoubles(run("Log", doubles(1, Math.E, 0.5)), 0, 1, -Math.log(2));
    assertDoubles(run("Sqrt", doubles(4, 2, 0.25)), 2, Math.sqrt(2), 0.5);
    assertDoubles(run("Reciprocal", doubles(4, -0.5, 3)), 0.25, -2, 1 / 3.0);
  }

  @Test
  void roundingRoundsHalvesToEven() {
    assertDoubles(run("Floor", doubles(1.5, -1.5, 2)), 1, -2, 2);
    assertDoubles(run("Ceil", doubles(1.5, -1.5, 2)), 2, -1, 2);
    assertDoubles(
        run("Round", doubles(0.5, 1.5, 2.5, -0.5, -1.5, 2.6, -2.4)), 0, 2, 2, 0, -2, 3, -2);
  }

  @Test
  void trigonometricAndHyperbolicFunctions() {
    assertDoubles(run("Sin", doubles(PI / 6, -PI / 2)), 0.5, -1);
    assertDoubles(run("Cos", doubles(PI / 3, PI)), 0.5, -1);
    assertDoubles(run("Tan", doubles(PI / 4, -PI / 4)), 1, -1);
    assertDoubles(run("Asin", doubles(0.5, -1)), PI / 6, -PI / 2);
    assertDoubles(run("Acos", doubles(0.5, -1)), PI / 3, PI);
    assertDoubles(run("Atan", doubles(1, -1)), PI / 4, -PI / 4);
    assertDoubles(run("Sinh", doubles(1, -1)), 1.1752011936438014, -1.1752011936438014);
    assertDoubles(run("Cosh", doubles(1, -1)), 1.5430806348152437, 1.5430806348152437);
    assertDoubles(run("Tanh", doubles(1, -1)), 0.7615941559557649, -0.7615941559557649);
    assertDoubles(
        run("Asinh", doubles(1, -1e4, 1e-9)), 0.881373587019543, -9.903487555036127, 1e-9);
    assertDoubles(run("Acosh", doubles(1, 2)), 0, 1.3169578969248166);
    assertDoubles(run("Atanh", doubles(0.5, -1e-9, 0)), 0.5493061443340548, -1e-9, 0);
  }

  @Test
  void errorFunctionAndSigmoids() {
    assertDoubles(
        run("Erf", doubles(0.5, -1, 3.5, 0)),
        0.5204998778130465,
        -0.8427007929497149,
        0.9999992569016276,
        0);
    assertDoubles(
        run("Sigmoid", doubles(0, 2, -50)), 0.5, 0.8807970779778823, 1.928749847963918e-22);
    assertDoubles(run("Softplus", doubles(1, 0, 100)), 1.3132616875182228, Math.log(2), 100);
    assertDoubles(run("Softsign", doubles(3, -1)), 0.75, -0.5);
    assertDoubles(run("Mish", doubles(1, 0)), 0.8650983882673103, 0);
    assertDoubles(run("HardSwish", doubles(3, 1, -4)), 3, 2 / 3.0, 0);
    assertDoubles(op("HardSigmoid").evaluate(doubles(1, -10, 10)).get(0), 0.7000000029802322, 0, 1);
    assertDoubles(
        op("HardSigmoid")
            .attribute("alpha", 0.5f)
            .attribute("beta", 0.25f)
            .evaluate(doubles(1))
            .get(0),
        0.75);
  }

  @Test
  void geluIsExactOrTheTanhApproximation() {
    assertDoubles(
        run("Gelu", doubles(1, 0, -1)),
        0.8413447460685429,
        0,
        0.8413447460685429 - 1); // gelu(-x) = gelu(x) - x
    assertDoubles(
        op("Gelu").attribute("approximate", "tanh").evaluate(doubles(1)).get(0),
        0.8411919906082768);
  }

  @Test
  void rectifiersAndTheirAttributes() {
    assertDoubles(run("Relu", doubles(-2, 3)), 0, 3);
    assertLongs(run("Relu", longs(DType.INT32, -2, 3)), DType.INT32, 0, 3);
    assertDoubles(run("LeakyRelu", doubles(-2, 3)), -0.02, 3);
    assertDoubles(op("LeakyRelu").attribute("alpha", 0.5f).evaluate(doubles(-2)).get(0), -1);
    assertDoubles(run("Elu", doubles(-1, 2)), -0.6321205588285577, 2);
    assertDoubles(run("Selu", doubles(-1, 2)), -1.1113307412864784, 2.1014020442962646);
    assertDoubles(
        op("Celu").attribute("alpha", 2f).evaluate(doubles(-1, 3)).get(0), -0.7869386805747332, 3);
    assertDoubles(run("ThresholdedRelu", doubles(0.5, 1, 2)), 0, 0, 2);
    assertDoubles(
        op("Shrink")
            .attribute("lambd", 0.5f)
            .attribute("bias", 0.25f)
            .evaluate(doubles(-1, 0.2, 1))
            .get(0),
        -0.75,
        0,
        0.75);
  }

  @Test
  void absNegAndSignOnIntegersStayExactAndUnsignedIsNeverNegative() {
    assertLongs(run("Abs", longs(DType.INT64, -(1L << 62) - 1, 5)), DType.INT64, (1L << 62) + 1, 5);
    assertLongs(run("Neg", longs(DType.INT8, 5, -7)), DType.INT8, -5, 7);
    assertLongs(run("Sign", longs(DType.INT16, -9, 0, 4)), DType.INT16, -1, 0, 1);
    assertLongs(run("Abs", longs(DType.UINT64, -1L)), DType.UINT64, -1L); // 2^64 - 1
    assertLongs(run("Sign", longs(DType.UINT64, -1L, 0)), DType.UINT64, 1, 0);
    assertDoubles(run("Sign", doubles(-0.5, 0, 2)), -1, 0, 1);
    assertDoubles(run("Abs", vector(DType.FLOAT16, -1.5, 2)), 1.5, 2);
  }

  @Test
  void predicatesNotAndBitwiseNot() {
    double inf = Double.POSITIVE_INFINITY;
    assertBools(run("IsNaN", vector(DType.FLOAT32, Double.NaN, 1, inf)), true, false, false);
    assertBools(run("IsInf", doubles(inf, -inf, 1, Double.NaN)), true, true, false, false);
    assertBools(
        op("IsInf").attribute("detect_negative", 0L).evaluate(doubles(inf, -inf)).get(0),
        true,
        false);
    assertBools(
        op("IsInf").attribute("detect_positive", 0L).evaluate(doubles(inf, -inf)).get(0),
        false,
        true);
    assertBools(run("Not", bools(true, false)), false, true);
    assertLongs(run("BitwiseNot", longs(DType.UINT8, 0, 0x0F)), DType.UINT8, 0xFF, 0xF0);
    assertLongs(run("BitwiseNot", longs(DType.INT32, 0, 5)), DType.INT32, -1, -6);
  }

  @Test
  void halfPrecisionResultsAreRoundedOnceFromDouble() {
    Tensor y = run("Exp", vector(DType.FLOAT16, 1, 0));
    assertEquals(DType.FLOAT16, y.dtype());
    assertEquals(Float.float16ToFloat(Float.floatToFloat16((float) Math.E)), y.getDouble(0));
    Tensor b = run("Sqrt", vector(DType.BFLOAT16, 4));
    assertEquals(DType.BFLOAT16, b.dtype());
    assertEquals(2.0, b.getDouble(0));
  }
}
