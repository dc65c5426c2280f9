package oclc.ir.ops;

import static oclc.ir.ops.ScalarAttribute.real;
import static oclc.ir.ops.ScalarAttribute.whole;
import static oclc.ir.ops.UnaryOp.floats;
import static oclc.ir.ops.UnaryOp.numeric;
import static oclc.ir.ops.UnaryOp.withAttributes;
import static oclc.ir.ops.UnaryOp.withScalars;

import java.util.List;
import java.util.Optional;
import oclc.ir.DType;
import oclc.ir.Dim;
import oclc.ir.OpDefinition;

/** The elementwise ops of one input, one line each. */
final class UnaryMath {
  private UnaryMath() {}

  static final double SELU_ALPHA = 1.67326319217681884765625;
  static final double SELU_GAMMA = 1.05070102214813232421875;

  static List<OpDefinition> definitions() {
    return List.of(
        numeric("Abs", Math::abs, t -> t.isUnsigned() ? x -> x : Math::abs, UnaryMath::absolute),
        new UnaryOp(
            "Neg",
            t -> t.isFloat() || t.kind() == DType.Kind.SIGNED,
            a -> x -> -x,
            t -> x -> -x,
            false,
            d -> Optional.of(d.times(-1))),
        numeric(
            "Sign",
            Math::signum,
            t -> t.isUnsigned() ? x -> x != 0 ? 1 : 0 : Long::signum,
            d -> d.compareKnown(Dim.of(0)).map(Dim::of)),
        numeric(
            "Relu",
            x -> Math.max(0, x),
            t -> t.isUnsigned() ? x -> x : x -> Math.max(0, x),
            d ->
                d.isNonNegative()
                    ? Optional.of(d)
                    : d.times(-1).isNonNegative() ? Optional.of(Dim.of(0)) : Optional.empty()),
        floats("Exp", Math::exp),
        floats("Log", Math::log),
        floats("Sqrt", Math::sqrt),
        floats("Reciprocal", x -> 1 / x),
        floats("Floor", Math::floor),
        floats("Ceil", Math::ceil),
        floats("Round", Math::rint), // halves to even, as ONNX asks
        floats("Sin", Math::sin),
        floats("Cos", Math::cos),
        floats("Tan", Math::tan),
        floats("Asin", Math::asin),
        floats("Acos", Math::acos),
        floats("Atan", Math::atan),
        floats("Sinh", Math::sinh),
        floats("Cosh", Math::cosh),
        floats("Asinh", SpecialFunctions::asinh),
        floats("Acosh", x -> Math.log(x + Math.sqrt(x * x - 1))),
        floats("Atanh", SpecialFunctions::atanh),
        floats("Tanh", Math::tanh),
        floats("Erf", SpecialFunctions::erf),
        floats("Sigmoid", SpecialFunctions::sigmoid),
        floats("Softplus", SpecialFunctions::softplus),
        floats("Softsign", x -> x / (1 + Math.abs(x))),
        floats("Mish", x -> x * Math.tanh(SpecialFunctions.softplus(x))),
        floats("HardSwish", x -> x * Math.max(0, Math.min(1, x / 6 + 0.5))),
        withScalars(
            "Swish", List.of(real("alpha", 1f)), p -> x -> x * SpecialFunctions.sigmoid(p[0] * x)),
        withScalars(
            "HardSigmoid",
            List.of(real("alpha", 0.2f), real("beta", 0.5f)),
            p -> x -> Math.max(0, Math.min(1, p[0] * x + p[1]))),
        withScalars("LeakyRelu", List.of(real("alpha", 0.01f)), p -> x -> x >= 0 ? x : p[0] * x),
        withScalars(
            "Elu", List.of(real("alpha", 1f)), p -> x -> x >= 0 ? x : p[0] * (Math.exp(x) - 1)),
        withScalars(
            "Selu",
            List.of(real("alpha", (float) SELU_ALPHA), real("gamma", (float) SELU_GAMMA)),
            p -> x -> p[1] * (x > 0 ? x : p[0] * (Math.exp(x) - 1))),
        withScalars(
            "Celu",
            List.of(real("alpha", 1f)),
            p -> x -> Math.max(0, x) + Math.min(0, p[0] * (Math.exp(x / p[0]) - 1))),
        withScalars("ThresholdedRelu", List.of(real("alpha", 1f)), p -> x -> x > p[0] ? x : 0),
        withScalars(
            "Shrink",
            List.of(real("bias", 0f), real("lambd", 0.5f)),
            p -> x -> x < -p[1] ? x + p[0] : x > p[1] ? x - p[0] : 0),
        withAttributes(
            "Gelu",
            a ->
                a.getString("approximate", "none").equals("tanh")
                    ? x ->
                        0.5
                            * x
                            * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (x + 0.044715 * x * x * x)))
                    : x -> 0.5 * x * (1 + SpecialFunctions.erf(x / Math.sqrt(2)))),
        UnaryOp.test("IsNaN", List.of(), p -> x -> Double.isNaN(x) ? 1 : 0),
        UnaryOp.test(
            "IsInf",
            List.of(whole("detect_negative", 1), whole("detect_positive", 1)),
            p ->
                x ->
                    (p[1] != 0 && x == Double.POSITIVE_INFINITY)
                            || (p[0] != 0 && x == Double.NEGATIVE_INFINITY)
                        ? 1
                        : 0),
        new UnaryOp(
            "Not",
            DType::isBool,
            null,
            t -> x -> x == 0 ? 1 : 0,
            true,
            d -> d.compareKnown(Dim.of(0)).map(c -> ElementwiseKernels.bool(c == 0))),
        new UnaryOp("BitwiseNot", DType::isInteger, null, t -> x -> ~x, false, null));
  }

  /** |d| where the sign of d is known for every value of the symbols. */
  private static Optional<Dim> absolute(Dim d) {
    if (d.isNonNegative()) {
      return Optional.of(d);
    }
    Dim negated = d.times(-1);
    return negated.isNonNegative() ? Optional.of(negated) : Optional.empty();
  }
}
