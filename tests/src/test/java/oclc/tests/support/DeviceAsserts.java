package oclc.tests.support;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import oclc.ir.Tensor;
import oclc.ir.exec.Comparison;

/** How device results are checked against the reference. */
public final class DeviceAsserts {
  private DeviceAsserts() {}

  /** Every element written (no poison left) and relative L2 error at most 1e-5. */
  public static void assertMatches(Tensor expected, float[] actual) {
    for (int i = 0; i < actual.length; i++) {
      assertFalse(
          Float.isNaN(actual[i]) && !Double.isNaN(expected.getDouble(i)),
          "element " + i + " was never written");
    }
    double error = Comparison.relativeL2(expected, Tensor.ofFloats(expected.shape(), actual));
    assertTrue(error <= 1e-5, "relative L2 " + error);
  }

  /** Same shape; float elements within relative L2 1e-5, other types equal. */
  public static void assertClose(Tensor expected, Tensor actual, String what) {
    org.junit.jupiter.api.Assertions.assertArrayEquals(
        expected.shape(), actual.shape(), what + ": shape");
    if (expected.dtype().isFloat()) {
      double error = Comparison.relativeL2(expected, actual);
      assertTrue(error <= 1e-5, what + ": relative L2 " + error);
    } else {
      var mismatch = Comparison.allClose(expected, actual, 0, 0);
      assertTrue(mismatch.isEmpty(), what + ": " + mismatch.orElse(""));
    }
  }
}
