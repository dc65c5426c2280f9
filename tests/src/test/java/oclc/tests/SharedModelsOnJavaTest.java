package oclc.tests;

import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.file.Path;
import java.util.stream.Stream;
import oclc.compiler.conformance.ConformanceRunner;
import oclc.compiler.conformance.JavaBackend;
import oclc.tests.support.JavaDevice;
import oclc.tests.support.ModelExpectations;
import oclc.tests.support.ModelExpectations.Aspect;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every model of ../shared, every test set, compiled for and run on the Java backend (poisoned
 * buffers): each outcome as the checked-in list's {@code java} line says (every GPT-2 export
 * passes), and a model that passes does so on Java kernels alone: no node through the reference
 * fallback.
 */
class SharedModelsOnJavaTest {
  static Stream<Path> models() {
    return ModelExpectations.folders(SharedData.models()).stream();
  }

  @ParameterizedTest
  @MethodSource("models")
  void everyTestSetOnTheJavaBackendHasTheListedOutcome(Path model) {
    try (JavaBackend backend = new JavaBackend(JavaDevice.THREADS)) {
      ConformanceRunner.Outcome outcome = new ConformanceRunner(backend).run(model);
      ModelExpectations.check(model, Aspect.JAVA, ModelExpectations.outcome(outcome));
      if (outcome.verdict() == ConformanceRunner.Verdict.PASSED) {
        assertFalse(outcome.throughFallback(), outcome.line());
      }
    }
  }
}
