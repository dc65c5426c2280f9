package oclc.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.file.Path;
import java.util.stream.Stream;
import oclc.compiler.conformance.ConformanceRunner;
import oclc.compiler.conformance.JavaBackend;
import oclc.tests.support.CaseFolders;
import oclc.tests.support.JavaDevice;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every GPT-2 model of ../shared, every test set, compiled for and run on the Java backend (poisoned
 * buffers), every node on a Java kernel: none through the reference fallback.
 */
class Gpt2OnJavaTest {
  static Stream<Path> models() throws java.io.IOException {
    return CaseFolders.under(SharedData.models()).stream();
  }

  @ParameterizedTest
  @MethodSource("models")
  void everyTestSetPassesNativelyOnTheJavaBackend(Path model) {
    try (JavaBackend backend = new JavaBackend(JavaDevice.THREADS)) {
      ConformanceRunner.Outcome outcome = new ConformanceRunner(backend).run(model);
      assertEquals(ConformanceRunner.Verdict.PASSED, outcome.verdict(), outcome.line());
      assertFalse(outcome.throughFallback(), outcome.line());
    }
  }
}
