package oclc.ir.ops;

import oclc.ir.Tensor;

/** Row-major index arithmetic for the reference implementations. */
final class Indexing {
  private Indexing() {}

  static long[] strides(long[] shape) {
    return Tensor.rowMajorStrides(shape);
  }

  /** Writes the multi-index of {@code flat} in {@code shape} into {@code index}. */
  static void unravel(long flat, long[] shape, long[] index) {
    for (int axis = shape.length - 1; axis >= 0; axis--) {
      if (shape[axis] == 0) {
        index[axis] = 0;
        continue;
      }
      index[axis] = flat % shape[axis];
      flat /= shape[axis];
    }
  }

  static long ravel(long[] index, long[] strides) {
    long flat = 0;
    for (int axis = 0; axis < index.length; axis++) {
      flat += index[axis] * strides[axis];
    }
    return flat;
  }

  static int size(long[] shape) {
    return Tensor.elementCount(shape);
  }

  static long product(long[] shape, int from, int to) {
    long p = 1;
    for (int i = from; i < to; i++) {
      p *= shape[i];
    }
    return p;
  }
}
