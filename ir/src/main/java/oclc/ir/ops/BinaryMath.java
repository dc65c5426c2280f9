package oclc.ir.ops;

import static oclc.ir.ops.ElementwiseKernels.bool;
import static oclc.ir.ops.NaryOp.arithmetic;
import static oclc.ir.ops.NaryOp.comparison;
import static oclc.ir.ops.NaryOp.integers;

import java.util.List;
import java.util.Optional;
import java.util.function.DoubleBinaryOperator;
import java.util.function.LongBinaryOperator;
import oclc.ir.Dim;
import oclc.ir.OpDefinition;

/** The broadcast elementwise ops of two or more inputs, one entry each. */
final class BinaryMath {
  private BinaryMath() {}

  static List<OpDefinition> definitions() {
    return List.of(
        arithmetic("Add", Double::sum, Long::sum, (a, b) -> Optional.of(a.plus(b))),
        arithmetic("Sub", (a, b) -> a - b, (a, b) -> a - b, (a, b) -> Optional.of(a.minus(b))),
        arithmetic("Mul", (a, b) -> a * b, (a, b) -> a * b, (a, b) -> Optional.of(a.times(b))),
        arithmetic("Div", (a, b) -> a / b, (a, b) -> a / b, BinaryMath::truncatingDivide),
        arithmetic("Pow", Math::pow, (a, b) -> (long) Math.pow(a, b), (a, b) -> Optional.empty()),
        new NaryOp("Mod", attributes -> attributes.getInt("fmod", 0) != 0
                ? (a, b) -> a % b
                : (a, b) -> a - Math.floor(a / b) * b,
            attributes -> attributes.getInt("fmod", 0) != 0 ? (a, b) -> a % b : Math::floorMod,
            false, BinaryMath::modulo),
        arithmetic("Max", Math::max, Math::max, (a, b) -> Optional.of(a.max(b))),
        arithmetic("Min", Math::min, Math::min, (a, b) -> Optional.of(a.min(b))),
        arithmetic("Sum", Double::sum, Long::sum, (a, b) -> Optional.of(a.plus(b))),
        comparison("Equal", (a, b) -> a == b ? 1 : 0, (a, b) -> a == b ? 1 : 0,
            (a, b) -> a.compareKnown(b).map(c -> bool(c == 0))),
        comparison("Less", (a, b) -> a < b ? 1 : 0, (a, b) -> a < b ? 1 : 0,
            (a, b) -> a.compareKnown(b).map(c -> bool(c < 0))),
        comparison("LessOrEqual", (a, b) -> a <= b ? 1 : 0, (a, b) -> a <= b ? 1 : 0,
            (a, b) -> a.compareKnown(b).map(c -> bool(c <= 0))),
        comparison("Greater", (a, b) -> a > b ? 1 : 0, (a, b) -> a > b ? 1 : 0,
            (a, b) -> a.compareKnown(b).map(c -> bool(c > 0))),
        comparison("GreaterOrEqual", (a, b) -> a >= b ? 1 : 0, (a, b) -> a >= b ? 1 : 0,
            (a, b) -> a.compareKnown(b).map(c -> bool(c >= 0))),
        logic("And", (a, b) -> a != 0 && b != 0),
        logic("Or", (a, b) -> a != 0 || b != 0),
        logic("Xor", (a, b) -> (a != 0) != (b != 0)),
        integers("BitwiseAnd", a -> (x, y) -> x & y),
        integers("BitwiseOr", a -> (x, y) -> x | y),
        integers("BitwiseXor", a -> (x, y) -> x ^ y),
        integers("BitShift", a -> a.getString("direction").equals("LEFT")
            ? (x, y) -> y >= 64 ? 0 : x << y
            : (x, y) -> y >= 64 ? 0 : x >>> y),
        arithmetic("PRelu", (x, slope) -> x < 0 ? slope * x : x, (x, slope) -> x < 0 ? slope * x : x, null),
        new MeanOp());
  }

  private interface LongPredicate2 {
    boolean test(long a, long b);
  }

  private static NaryOp logic(String opType, LongPredicate2 p) {
    LongBinaryOperator g = (a, b) -> p.test(a, b) ? 1 : 0;
    DoubleBinaryOperator f = (a, b) -> p.test(a != 0 ? 1 : 0, b != 0 ? 1 : 0) ? 1 : 0;
    return new NaryOp(opType, attributes -> f, attributes -> g, true,
        (a, b) -> a.isConstant() && b.isConstant()
            ? Optional.of(bool(p.test(a.constant(), b.constant())))
            : Optional.empty());
  }

  /** Integer Div truncates; over dims that is floor division once both are non-negative. */
  private static Optional<Dim> truncatingDivide(Dim a, Dim b) {
    if (a.isConstant() && b.isConstant() && b.constant() != 0) {
      return Optional.of(Dim.of(a.constant() / b.constant()));
    }
    if (a.isNonNegative() && b.isPositive()) {
      return Optional.of(a.floorDiv(b));
    }
    return Optional.empty();
  }

  private static Optional<Dim> modulo(Dim a, Dim b) {
    if (a.isConstant() && b.isConstant() && b.constant() != 0) {
      return Optional.of(Dim.of(Math.floorMod(a.constant(), b.constant())));
    }
    return b.isPositive() ? Optional.of(a.mod(b)) : Optional.empty();
  }
}
