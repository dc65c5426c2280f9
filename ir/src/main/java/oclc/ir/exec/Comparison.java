package oclc.ir.exec;

import java.util.Arrays;
import java.util.Optional;
import oclc.ir.Tensor;

/** How oclc compares a computed tensor with an expected one. */
public final class Comparison {
  private Comparison() {}

  /** ‖actual − expected‖₂ / ‖expected‖₂ (the absolute norm when the expected norm is zero). */
  public static double relativeL2(Tensor expected, Tensor actual) {
    requireSameShape(expected, actual);
    double diff = 0;
    double norm = 0;
    for (int i = 0; i < expected.size(); i++) {
      double e = expected.getDouble(i);
      double d = actual.getDouble(i) - e;
      diff += d * d;
      norm += e * e;
    }
    if (Double.isNaN(diff)) {
      return Double.NaN;
    }
    return norm == 0 ? Math.sqrt(diff) : Math.sqrt(diff / norm);
  }

  /**
   * The ONNX backend-test check: same dtype and shape; floats within {@code atol + rtol·|expected|}
   * elementwise (NaN matches NaN, infinities must be equal); integers and bools exactly. Empty when
   * they match, else a description of the first mismatch.
   */
  public static Optional<String> allClose(
      Tensor expected, Tensor actual, double rtol, double atol) {
    if (expected.dtype() != actual.dtype()) {
      return Optional.of("dtype " + actual.dtype() + ", expected " + expected.dtype());
    }
    if (!Arrays.equals(expected.shape(), actual.shape())) {
      return Optional.of(
          "shape "
              + Arrays.toString(actual.shape())
              + ", expected "
              + Arrays.toString(expected.shape()));
    }
    int mismatches = 0;
    String first = null;
    for (int i = 0; i < expected.size(); i++) {
      boolean ok;
      String shown;
      if (expected.dtype().isFloat()) {
        double e = expected.getDouble(i);
        double a = actual.getDouble(i);
        ok =
            (Double.isNaN(e) && Double.isNaN(a))
                || e == a
                || Math.abs(a - e) <= atol + rtol * Math.abs(e);
        shown = a + " vs expected " + e;
      } else {
        long e = expected.getLong(i);
        long a = actual.getLong(i);
        ok = e == a;
        shown = a + " vs expected " + e;
      }
      if (!ok) {
        mismatches++;
        if (first == null) {
          first = "element " + i + ": " + shown;
        }
      }
    }
    if (mismatches == 0) {
      return Optional.empty();
    }
    return Optional.of(
        mismatches + " of " + expected.size() + " elements differ; first at " + first);
  }

  private static void requireSameShape(Tensor expected, Tensor actual) {
    if (!Arrays.equals(expected.shape(), actual.shape())) {
      throw new IllegalArgumentException(
          "shape "
              + Arrays.toString(actual.shape())
              + ", expected "
              + Arrays.toString(expected.shape()));
    }
  }
}
