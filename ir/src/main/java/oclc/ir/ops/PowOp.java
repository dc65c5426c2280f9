package oclc.ir.ops;

import java.util.List;
import oclc.ir.DType;
import oclc.ir.EvaluationContext;
import oclc.ir.InferenceContext;
import oclc.ir.OpDefinition;
import oclc.ir.Tensor;
import oclc.ir.TensorType;

/**
 * Pow(base, exponent), broadcast. Unlike the other binary ops the two inputs may have different
 * types; the result has the base's. An integer power of an integer is computed by repeated
 * multiplication in long (wrapping like the type does), so that int64 results stay exact.
 */
final class PowOp implements OpDefinition {
  @Override
  public String opType() {
    return "Pow";
  }

  @Override
  public List<TensorType> inferTypes(InferenceContext context) {
    for (int i = 0; i < 2; i++) {
      if (!NaryOp.numeric(context.inputDType(i))) {
        throw context.error(
            "Pow is not defined for element type " + context.inputDType(i) + " (input " + i + ")");
      }
    }
    return List.of(
        new TensorType(
            context.inputDType(0),
            Broadcast.shapes(context, context.inputShape(0), context.inputShape(1))));
  }

  @Override
  public List<Tensor> evaluate(EvaluationContext context) {
    Tensor base = context.input(0);
    Tensor exponent = context.input(1);
    boolean exact = base.dtype().isInteger() && exponent.dtype().isInteger();
    DType exponentType = exponent.dtype();
    return List.of(
        ElementwiseKernels.broadcast(
            List.of(base, exponent),
            base.dtype(),
            (out, i, in, idx) -> {
              if (exact) {
                out.setLong(
                    i,
                    power(
                        context,
                        in.get(0).getLong(idx[0]),
                        in.get(1).getLong(idx[1]),
                        exponentType.isUnsigned()));
              } else {
                // Truncates toward zero when the base is an integer, as the cast to its type does.
                out.setDouble(
                    i, Math.pow(in.get(0).getDouble(idx[0]), in.get(1).getDouble(idx[1])));
              }
            }));
  }

  /** base^exponent modulo 2^64, by squaring; a negative exponent leaves only ±1 non-zero. */
  static long power(EvaluationContext context, long base, long exponent, boolean unsignedExponent) {
    if (exponent < 0 && !unsignedExponent) {
      if (base == 0) {
        throw context.error("integer 0 raised to the negative power " + exponent);
      }
      return base == 1 ? 1 : base == -1 ? ((exponent & 1) == 0 ? 1 : -1) : 0;
    }
    long result = 1;
    long square = base;
    for (long e = exponent; e != 0; e >>>= 1) {
      if ((e & 1) != 0) {
        result *= square;
      }
      square *= square;
    }
    return result;
  }
}
