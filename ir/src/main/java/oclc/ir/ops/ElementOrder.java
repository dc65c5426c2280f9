package oclc.ir.ops;

import oclc.ir.DType;
import oclc.ir.Tensor;

/**
 * The order of tensor elements in their own type. Integers compare as longs, never through doubles
 * (which round int64 values above 2^53), and unsigned types compare unsigned (uint64 is stored as
 * raw long bits). Floats compare numerically, so −0 equals +0; NaN is above everything, as in
 * numpy's sort.
 */
final class ElementOrder {
  private ElementOrder() {}

  static int compare(Tensor t, int i, int j) {
    DType dtype = t.dtype();
    if (dtype.isFloat()) {
      return compareDoubles(t.getDouble(i), t.getDouble(j));
    }
    return compareLongs(dtype, t.getLong(i), t.getLong(j));
  }

  static int compareLongs(DType dtype, long a, long b) {
    return dtype.isUnsigned() ? Long.compareUnsigned(a, b) : Long.compare(a, b);
  }

  static int compareDoubles(double a, double b) {
    if (Double.isNaN(a) || Double.isNaN(b)) {
      return Boolean.compare(Double.isNaN(a), Double.isNaN(b));
    }
    return a < b ? -1 : a > b ? 1 : 0;
  }

  /** The smallest value of an integer or bool type, as its stored long. */
  static long lowest(DType dtype) {
    if (dtype.isUnsigned() || dtype.isBool()) {
      return 0;
    }
    return Long.MIN_VALUE >> (64 - 8 * dtype.byteSize());
  }

  /** The largest value of an integer or bool type, as its stored long (uint64's is all ones). */
  static long highest(DType dtype) {
    if (dtype.isBool()) {
      return 1;
    }
    if (dtype.isUnsigned()) {
      return -1L >>> (64 - 8 * dtype.byteSize());
    }
    return Long.MAX_VALUE >> (64 - 8 * dtype.byteSize());
  }
}
