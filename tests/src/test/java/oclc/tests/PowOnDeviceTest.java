package oclc.tests;

import java.util.Map;
import java.util.Random;
import java.util.Set;
import oclc.ir.Tensor;
import oclc.tests.support.Reference;
import org.junit.jupiter.api.Test;

/** Pow by a small constant integer exponent runs as multiplications; any other Pow as pow(). */
class PowOnDeviceTest {

  private static Tensor exponent(float value) {
    return Tensor.ofFloats(new long[] {}, value);
  }

  @Test
  void smallIntegerExponentsOfNegativeAndPositiveBasesMatchTheReference() {
    Tensor x = Reference.random(new Random(3), false, 7, 33); // both signs
    for (float e : new float[] {2, 3, 4}) {
      OneNodeOnDevice.check(
          "Pow", Map.of(), 13, Set.of(1), OneNodeOnDevice.withinRelativeL2(1e-6), x, exponent(e));
    }
  }

  @Test
  void otherExponentsAndRuntimeExponentsTakeTheGeneralKernel() {
    Tensor positive = Reference.random(new Random(4), true, 5, 9);
    OneNodeOnDevice.check(
        "Pow",
        Map.of(),
        13,
        Set.of(1),
        OneNodeOnDevice.withinRelativeL2(1e-6),
        positive,
        exponent(2.5f));
    OneNodeOnDevice.check(
        "Pow",
        Map.of(),
        13,
        Set.of(1),
        OneNodeOnDevice.withinRelativeL2(1e-6),
        positive,
        exponent(5));
    OneNodeOnDevice.check(
        "Pow",
        Map.of(),
        13,
        Set.of(),
        OneNodeOnDevice.withinRelativeL2(1e-6),
        positive,
        exponent(3));
  }
}
