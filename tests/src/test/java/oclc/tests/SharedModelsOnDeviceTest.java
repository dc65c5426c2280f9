package oclc.tests;

import java.nio.file.Path;
import java.util.stream.Stream;
import oclc.compiler.conformance.ConformanceRunner;
import oclc.compiler.conformance.OpenClBackend;
import oclc.tests.support.ModelExpectations;
import oclc.tests.support.ModelExpectations.Aspect;
import oclc.tests.support.TestDevice;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every model of ../shared, every test set, compiled and run on the OpenCL device: each outcome as
 * the checked-in list's {@code opencl-cpu} line says (every GPT-2 export passes).
 */
class SharedModelsOnDeviceTest {
  static Stream<Path> models() {
    return ModelExpectations.folders(SharedData.models()).stream();
  }

  @ParameterizedTest
  @MethodSource("models")
  void everyTestSetOnTheDeviceHasTheListedOutcome(Path model) {
    try (OpenClBackend backend =
        new OpenClBackend(TestDevice.context(), TestDevice.cache(), w -> {})) {
      ConformanceRunner.Outcome outcome = new ConformanceRunner(backend).run(model);
      ModelExpectations.check(model, Aspect.OPENCL_CPU, ModelExpectations.outcome(outcome));
    }
  }
}
