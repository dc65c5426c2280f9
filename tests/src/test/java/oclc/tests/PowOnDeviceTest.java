package oclc.tests;

import java.nio.file.Path;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import oclc.cli.OpenClBackend;
import oclc.ir.Tensor;
import oclc.tests.support.Reference;
import oclc.tests.support.TestDevice;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Pow by a small constant integer exponent runs as multiplications; any other Pow as pow(). */
class PowOnDeviceTest {
  private static OpenClBackend backend;
  @TempDir static Path folder;

  @BeforeAll
  static void open() {
    backend = new OpenClBackend(TestDevice.context(), TestDevice.cache(), w -> { });
  }

  @AfterAll
  static void close() {
    if (backend != null) {
      backend.close();
    }
  }

  private static Tensor exponent(float value) {
    return Tensor.ofFloats(new long[] {}, value);
  }

  @Test
  void smallIntegerExponentsOfNegativeAndPositiveBasesMatchTheReference() {
    Tensor x = Reference.random(new Random(3), false, 7, 33); // both signs
    for (float e : new float[] {2, 3, 4}) {
      OneNodeOnDevice.check(backend, folder, "Pow", Map.of(), 13, Set.of(1), OneNodeOnDevice.withinRelativeL2(1e-6), x, exponent(e));
    }
  }

  @Test
  void otherExponentsAndRuntimeExponentsTakeTheGeneralKernel() {
    Tensor positive = Reference.random(new Random(4), true, 5, 9);
    OneNodeOnDevice.check(backend, folder, "Pow", Map.of(), 13, Set.of(1), OneNodeOnDevice.withinRelativeL2(1e-6), positive, exponent(2.5f));
    OneNodeOnDevice.check(backend, folder, "Pow", Map.of(), 13, Set.of(1), OneNodeOnDevice.withinRelativeL2(1e-6), positive, exponent(5));
    OneNodeOnDevice.check(backend, folder, "Pow", Map.of(), 13, Set.of(), OneNodeOnDevice.withinRelativeL2(1e-6), positive, exponent(3));
  }
}
