package oclc.tests.support;

import java.util.Random;
import oclc.ir.DType;
import oclc.ir.Tensor;

/**
 * Random tensors of any element type that start with the values kernels get wrong: for floats NaN,
 * infinities, signed zeros, halves (rounding), values beyond every integer range and near 2^63; for
 * integers 0, ±1 and the extremes of the type (stored values wrap to its width).
 */
public final class TypedValues {
  private TypedValues() {}

  private static final double[] FLOAT_EDGES = {
    Double.NaN,
    Double.POSITIVE_INFINITY,
    Double.NEGATIVE_INFINITY,
    -0.0,
    0.0,
    0.5,
    -0.5,
    1.5,
    -2.5,
    2.5,
    127.9,
    128.5,
    -129.5,
    255.5,
    256.0,
    40000.7,
    -40000.7,
    3e9,
    -3e9,
    0x1p63,
    -0x1p63,
    0x1p64,
    1e30,
    -1e30,
    9.2e18,
    1.8e19
  };

  private static final long[] INTEGER_EDGES = {
    0,
    1,
    -1,
    2,
    Long.MIN_VALUE,
    Long.MAX_VALUE,
    Integer.MIN_VALUE,
    Integer.MAX_VALUE,
    0xFFFFFFFFL,
    127,
    -128,
    255,
    32767,
    -32768,
    65535,
    (1L << 53) + 1,
    0x0FFF_FFFF_FFFF_FFFFL
  };

  /**
   * A tensor of {@code shape}: edge values first (floats only when not {@code positive}), then
   * random ones; {@code nonZero} replaces zeros by one (divisors).
   */
  public static Tensor of(
      Random random, DType type, boolean positive, boolean nonZero, long... shape) {
    Tensor t = Tensor.allocate(type, shape);
    for (int i = 0; i < t.size(); i++) {
      if (type.isFloat()) {
        double v = !positive && i < FLOAT_EDGES.length ? FLOAT_EDGES[i] : 3 * random.nextGaussian();
        t.setDouble(i, positive ? 0.1 + Math.abs(v) : v);
      } else if (type.isBool()) {
        t.setBool(i, random.nextBoolean());
      } else {
        long v =
            i < INTEGER_EDGES.length
                ? INTEGER_EDGES[i]
                : random.nextBoolean() ? random.nextLong() : random.nextInt(201) - 100;
        t.setLong(i, positive ? v % 20 : v); // small bases (Pow), negative ones too
      }
      if (nonZero && t.getDouble(i) == 0) {
        t.setLong(i, 1);
      }
    }
    return t;
  }

  /** Exponents for integer Pow: small, with negatives for signed types. */
  public static Tensor exponents(Random random, DType type, long... shape) {
    Tensor t = Tensor.allocate(type, shape);
    for (int i = 0; i < t.size(); i++) {
      t.setLong(i, random.nextInt(type.isUnsigned() ? 9 : 12) - (type.isUnsigned() ? 0 : 3));
    }
    return t;
  }

  /** Shift amounts for BitShift, some beyond 64. */
  public static Tensor shifts(Random random, DType type, long... shape) {
    Tensor t = Tensor.allocate(type, shape);
    for (int i = 0; i < t.size(); i++) {
      t.setLong(i, random.nextInt(type.byteSize() == 1 ? 256 : 72));
    }
    return t;
  }
}
