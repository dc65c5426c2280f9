package oclc.ir.ops;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import oclc.ir.DType;
import oclc.ir.Tensor;

/** Small tensors and checks shared by the elementwise op tests. */
final class ElementwiseTesting {
  private ElementwiseTesting() {}

  static Tensor vector(DType dtype, double... values) {
    return Tensor.ofDoubles(dtype, new long[] {values.length}, values);
  }

  static Tensor doubles(double... values) {
    return vector(DType.FLOAT64, values);
  }

  static Tensor longs(DType dtype, long... values) {
    return Tensor.ofLongs(dtype, new long[] {values.length}, values);
  }

  static Tensor bools(boolean... values) {
    return Tensor.ofBools(new long[] {values.length}, values);
  }

  /**
   * Elementwise within a relative 1e-7 (for float64 results of the reference functions); NaN
   * matches NaN.
   */
  static void assertDoubles(Tensor actual, double... expected) {
    assertEquals(expected.length, actual.size(), "element count of " + actual);
    for (int i = 0; i < expected.length; i++) {
      if (Double.isNaN(expected[i])) {
        assertTrue(
            Double.isNaN(actual.getDouble(i)), "element " + i + " of " + actual + " is not NaN");
        continue;
      }
      double tolerance = 1e-7 * Math.max(1, Math.abs(expected[i]));
      assertEquals(expected[i], actual.getDouble(i), tolerance, "element " + i + " of " + actual);
    }
  }

  static void assertLongs(Tensor actual, DType dtype, long... expected) {
    assertEquals(dtype, actual.dtype());
    assertArrayEquals(expected, actual.toLongArray(), actual.toString());
  }

  static void assertBools(Tensor actual, boolean... expected) {
    assertEquals(DType.BOOL, actual.dtype());
    boolean[] values = new boolean[actual.size()];
    for (int i = 0; i < values.length; i++) {
      values[i] = actual.getBool(i);
    }
    assertArrayEquals(expected, values, actual.toString());
  }
}
