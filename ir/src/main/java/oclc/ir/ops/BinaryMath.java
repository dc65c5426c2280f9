package oclc.ir.ops;

import static oclc.ir.ops.NaryOp.arithmetic;

import java.util.List;
import java.util.Optional;
import java.util.function.BiFunction;
import java.util.function.DoubleBinaryOperator;
import java.util.function.IntPredicate;
import java.util.function.LongBinaryOperator;
import oclc.ir.Attributes;
import oclc.ir.DType;
import oclc.ir.Dim;
import oclc.ir.OpDefinition;

/** The broadcast elementwise ops of two or more inputs, one entry each. */
final class BinaryMath {
  private BinaryMath() {}

  static List<OpDefinition> definitions() {
    return List.of(
        arithmetic("Add", Double::sum, Long::sum, (a, x, y) -> Optional.of(x.plus(y))),
        arithmetic("Sub", (x, y) -> x - y, (x, y) -> x - y, (a, x, y) -> Optional.of(x.minus(y))),
        arithmetic("Mul", (x, y) -> x * y, (x, y) -> x * y, (a, x, y) -> Optional.of(x.times(y))),
        arithmetic("Sum", Double::sum, Long::sum, (a, x, y) -> Optional.of(x.plus(y))),
        new NaryOp(
            "Div",
            NaryOp::numeric,
            a -> (x, y) -> x / y,
            (a, t) -> divide(t),
            false,
            (a, x, y) -> truncatingDivide(x, y)),
        new NaryOp(
            "Mod",
            NaryOp::numeric,
            BinaryMath::floatModulo,
            BinaryMath::integerModulo,
            false,
            BinaryMath::modulo),
        new NaryOp(
            "Max",
            NaryOp::numeric,
            a -> Math::max,
            (a, t) -> extremum(t, c -> c >= 0),
            false,
            (a, x, y) -> Optional.of(x.max(y))),
        new NaryOp(
            "Min",
            NaryOp::numeric,
            a -> Math::min,
            (a, t) -> extremum(t, c -> c <= 0),
            false,
            (a, x, y) -> Optional.of(x.min(y))),
        new NaryOp(
            "PRelu",
            NaryOp::numeric,
            a -> (x, slope) -> x < 0 ? slope * x : x,
            (a, t) -> t.isUnsigned() ? (x, slope) -> x : (x, slope) -> x < 0 ? slope * x : x,
            false,
            null),
        comparison("Equal", c -> c == 0, true, (x, y) -> x.compareKnown(y).map(c -> c == 0)),
        comparison("Less", c -> c < 0, false, (x, y) -> less(x, y, false)),
        comparison("LessOrEqual", c -> c <= 0, false, (x, y) -> less(x, y, true)),
        comparison("Greater", c -> c > 0, false, (x, y) -> less(y, x, false)),
        comparison("GreaterOrEqual", c -> c >= 0, false, (x, y) -> less(y, x, true)),
        logic("And", (x, y) -> x & y),
        logic("Or", (x, y) -> x | y),
        logic("Xor", (x, y) -> x ^ y),
        bitwise("BitwiseAnd", (x, y) -> x & y),
        bitwise("BitwiseOr", (x, y) -> x | y),
        bitwise("BitwiseXor", (x, y) -> x ^ y),
        new NaryOp("BitShift", DType::isUnsigned, null, (a, t) -> shift(a), false, null),
        new PowOp(),
        new MeanOp());
  }

  /**
   * A comparison decided by the sign of {@code compare(x, y)}: floats numerically (any NaN makes it
   * false), integers in their own order (unsigned as unsigned); over dims by {@code onDims}, where
   * the answer holds for every value of the symbols.
   */
  private static NaryOp comparison(
      String opType,
      IntPredicate holds,
      boolean acceptsBool,
      BiFunction<Dim, Dim, Optional<Boolean>> onDims) {
    DoubleBinaryOperator f =
        (x, y) ->
            !Double.isNaN(x) && !Double.isNaN(y) && holds.test(x < y ? -1 : x > y ? 1 : 0) ? 1 : 0;
    return new NaryOp(
        opType,
        t -> NaryOp.numeric(t) || acceptsBool && t.isBool(),
        a -> f,
        (a, t) -> (x, y) -> holds.test(ElementOrder.compareLongs(t, x, y)) ? 1 : 0,
        true,
        (a, x, y) -> onDims.apply(x, y).map(ElementwiseKernels::bool));
  }

  /**
   * Whether {@code x < y} (or {@code x <= y}) for every value of the symbols. Unlike {@link
   * Dim#compareKnown}, which needs a strict order, this also decides {@code seq < 0} (false) and
   * {@code seq >= 0} (true) from the symbols being non-negative.
   */
  private static Optional<Boolean> less(Dim x, Dim y, boolean orEqual) {
    Dim gap = y.minus(x);
    if (orEqual ? gap.isNonNegative() : gap.isPositive()) {
      return Optional.of(true);
    }
    Dim reverse = x.minus(y);
    if (orEqual ? reverse.isPositive() : reverse.isNonNegative()) {
      return Optional.of(false);
    }
    return Optional.empty();
  }

  /** A logical op of bools (stored as 0/1, so the bitwise operator is the logical one). */
  private static NaryOp logic(String opType, LongBinaryOperator g) {
    return new NaryOp(
        opType,
        DType::isBool,
        null,
        (a, t) -> g,
        true,
        (a, x, y) ->
            x.isConstant() && y.isConstant()
                ? Optional.of(Dim.of(g.applyAsLong(x.constant(), y.constant())))
                : Optional.empty());
  }

  private static NaryOp bitwise(String opType, LongBinaryOperator g) {
    return new NaryOp(opType, DType::isInteger, null, (a, t) -> g, false, null);
  }

  private static LongBinaryOperator extremum(DType type, IntPredicate keepsLeft) {
    return (x, y) -> keepsLeft.test(ElementOrder.compareLongs(type, x, y)) ? x : y;
  }

  /** Integer Div truncates toward zero, as C does; uint64 divides unsigned. */
  private static LongBinaryOperator divide(DType type) {
    return type.isUnsigned() ? Long::divideUnsigned : (x, y) -> x / y;
  }

  /** fmod=1 is C's fmod (the dividend's sign); fmod=0 is numpy's mod (the divisor's sign). */
  private static DoubleBinaryOperator floatModulo(Attributes attributes) {
    if (attributes.getInt("fmod", 0) != 0) {
      return (x, y) -> x % y;
    }
    return (x, y) -> {
      double r = x % y;
      return r != 0 && (r < 0) != (y < 0) ? r + y : r;
    };
  }

  private static LongBinaryOperator integerModulo(Attributes attributes, DType type) {
    if (type.isUnsigned()) {
      return Long::remainderUnsigned;
    }
    return attributes.getInt("fmod", 0) != 0 ? (x, y) -> x % y : Math::floorMod;
  }

  /**
   * Shifts of 64 places or more leave nothing; inputs are unsigned, so right shifts are logical.
   */
  private static LongBinaryOperator shift(Attributes attributes) {
    boolean left = attributes.getString("direction").equals("LEFT");
    return (x, y) -> Long.compareUnsigned(y, 64) >= 0 ? 0 : left ? x << y : x >>> y;
  }

  /** Truncating and floor division agree once both operands are non-negative. */
  private static Optional<Dim> truncatingDivide(Dim x, Dim y) {
    if (x.isConstant() && y.isConstant() && y.constant() != 0) {
      return Optional.of(Dim.of(x.constant() / y.constant()));
    }
    if (x.isNonNegative() && y.isPositive()) {
      return Optional.of(x.floorDiv(y));
    }
    return Optional.empty();
  }

  /** Dim.mod has the divisor's sign (fmod=0); fmod=1 agrees with it for a non-negative dividend. */
  private static Optional<Dim> modulo(Attributes attributes, Dim x, Dim y) {
    boolean truncating = attributes.getInt("fmod", 0) != 0;
    if (x.isConstant() && y.isConstant() && y.constant() != 0) {
      long a = x.constant();
      long b = y.constant();
      return Optional.of(Dim.of(truncating ? a % b : Math.floorMod(a, b)));
    }
    if (y.isPositive() && (!truncating || x.isNonNegative())) {
      return Optional.of(x.mod(y));
    }
    return Optional.empty();
  }
}
