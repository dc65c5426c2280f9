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
      assertFalse(Float.isNaN(actual[i]) && !Double.isNaN(expected.getDouble(i)), "element " + i + " was never written");
    }
    double error = Comparison.relativeL2(expected, Tensor.ofFloats(expected.shape(), actual));
    assertTrue(error <= 1e-5, "relative L2 " + error);
  }
}
