package oclc.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.stream.Stream;
import oclc.compiler.conformance.ConformanceRunner;
import oclc.compiler.conformance.OpenClBackend;
import oclc.tests.support.CaseFolders;
import oclc.tests.support.TestDevice;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every GPT-2 model of ../shared, every test set, compiled and run on the OpenCL device. */
class Gpt2OnDeviceTest {
  static Stream<Path> models() throws java.io.IOException {
    return CaseFolders.under(SharedData.models()).stream();
  }

  @ParameterizedTest
  @MethodSource("models")
  void everyTestSetPassesOnTheDevice(Path model) {
    try (OpenClBackend backend = new OpenClBackend(TestDevice.context(), TestDevice.cache(), w -> { })) {
      ConformanceRunner.Outcome outcome = new ConformanceRunner(backend).run(model);
      assertEquals(ConformanceRunner.Verdict.PASSED, outcome.verdict(), outcome.line());
    }
  }

}
