package oclc.tests;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import oclc.compiler.conformance.ConformanceRunner;
import oclc.compiler.conformance.ConformanceRunner.Outcome;
import oclc.compiler.conformance.ConformanceRunner.Verdict;
import oclc.compiler.conformance.JavaBackend;
import oclc.tests.support.CaseFolders;
import oclc.tests.support.ExpectedOutcomes;
import oclc.tests.support.JavaDevice;
import org.junit.jupiter.api.Test;

/**
 * The ONNX node tests on the Java backend: each case compiled with {@code --device java}, loaded
 * and run with poisoned buffers. No case may fail, and at least as many pass as on the reference
 * executor ({@link NodeConformanceTest}'s floor): shapes that only the data decides are host values
 * there, and ops without a Java kernel take the labelled reference fallback. Every case has the
 * outcome checked in for it, native or through the fallback
 * (src/test/resources/conformance/java.txt).
 */
class NodeConformanceOnJavaTest {
  /** The reference executor's floor: the Java backend must pass every case the reference passes. */
  private static final int MINIMUM_PASSED = 1108;

  @Test
  void noCaseFailsOnJavaAndAtLeastAsManyPassAsOnTheReference() throws IOException {
    List<Outcome> outcomes = new ArrayList<>();
    try (JavaBackend backend = new JavaBackend(JavaDevice.THREADS)) {
      ConformanceRunner runner = new ConformanceRunner(backend);
      for (Path caseFolder : CaseFolders.under(SharedData.nodeTests())) {
        outcomes.add(runner.run(caseFolder));
      }
    }
    long passed = outcomes.stream().filter(o -> o.verdict() == Verdict.PASSED).count();
    List<String> failures =
        outcomes.stream().filter(o -> o.verdict() == Verdict.FAILED).map(Outcome::line).toList();
    long throughFallback =
        outcomes.stream().filter(o -> o.verdict() == Verdict.PASSED && o.throughFallback()).count();
    long skipped = outcomes.stream().filter(o -> o.verdict() == Verdict.SKIPPED).count();
    String summary =
        passed
            + " passed ("
            + (passed - throughFallback)
            + " native, "
            + throughFallback
            + " through the reference fallback), "
            + failures.size()
            + " failed, "
            + skipped
            + " skipped";
    List<String> report = new ArrayList<>(outcomes.stream().map(Outcome::line).toList());
    report.add(summary);
    Path reportFile = Path.of("target", "node-conformance-java.txt");
    Files.createDirectories(reportFile.getParent());
    Files.write(reportFile, report);
    System.out.println(
        "ONNX node tests on the Java backend: " + summary + " (details: " + reportFile + ")");
    ExpectedOutcomes.check(
        "java",
        "The ONNX node tests (../shared/onnx-node-tests) on the Java backend",
        outcomes,
        true);
    assertTrue(
        failures.isEmpty(), failures.size() + " cases failed:\n" + String.join("\n", failures));
    assertTrue(passed >= MINIMUM_PASSED, summary);
  }
}
