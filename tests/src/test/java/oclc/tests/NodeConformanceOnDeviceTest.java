package oclc.tests;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import oclc.compiler.conformance.ConformanceRunner;
import oclc.compiler.conformance.ConformanceRunner.Outcome;
import oclc.compiler.conformance.ConformanceRunner.Verdict;
import oclc.compiler.conformance.OpenClBackend;
import oclc.tests.support.CaseFolders;
import oclc.tests.support.ExpectedOutcomes;
import oclc.tests.support.TestDevice;
import org.junit.jupiter.api.Test;

/**
 * The ONNX node tests on the OpenCL device: each case compiled to an artifact, loaded, run with
 * NaN-poisoned buffers. No case may fail; a case the device cannot compute is skipped with the
 * nodes and reasons, and the skips are tallied by op in target/node-conformance-device.txt. Every
 * case has the outcome checked in for it (src/test/resources/conformance/opencl.txt).
 */
class NodeConformanceOnDeviceTest {
  /** The floor this suite must keep; raise it as kernels are added, never lower it. */
  private static final int MINIMUM_PASSED = 894;

  @Test
  void noCaseFailsOnTheDeviceAndAtLeastTheFloorPasses() throws IOException {
    List<Outcome> outcomes = new ArrayList<>();
    try (OpenClBackend backend =
        new OpenClBackend(TestDevice.context(), TestDevice.cache(), w -> {})) {
      ConformanceRunner runner = new ConformanceRunner(backend);
      for (Path caseFolder : CaseFolders.under(SharedData.nodeTests())) {
        outcomes.add(runner.run(caseFolder));
      }
    }
    long passed = outcomes.stream().filter(o -> o.verdict() == Verdict.PASSED).count();
    List<String> failures =
        outcomes.stream().filter(o -> o.verdict() == Verdict.FAILED).map(Outcome::line).toList();
    long skipped = outcomes.stream().filter(o -> o.verdict() == Verdict.SKIPPED).count();
    String summary = passed + " passed, " + failures.size() + " failed, " + skipped + " skipped";
    List<String> report = new ArrayList<>(outcomes.stream().map(Outcome::line).toList());
    report.add(summary);
    report.add("");
    report.add("skips by the first op named in their reason:");
    skipsByOp(outcomes).forEach((op, count) -> report.add(String.format("%6d %s", count, op)));
    Path reportFile = Path.of("target", "node-conformance-device.txt");
    Files.createDirectories(reportFile.getParent());
    Files.write(reportFile, report);
    System.out.println(
        "ONNX node tests on "
            + TestDevice.context().info().name()
            + ": "
            + summary
            + " (details: "
            + reportFile
            + ")");
    ExpectedOutcomes.check(
        "opencl",
        "The ONNX node tests (../shared/onnx-node-tests) on OpenCL (the tests' device)",
        outcomes,
        false);
    assertTrue(
        failures.isEmpty(), failures.size() + " cases failed:\n" + String.join("\n", failures));
    assertTrue(passed >= MINIMUM_PASSED, summary);
  }

  private static Map<String, Integer> skipsByOp(List<Outcome> outcomes) {
    Map<String, Integer> byOp = new TreeMap<>();
    for (Outcome o : outcomes) {
      if (o.verdict() == Verdict.SKIPPED) {
        var m = java.util.regex.Pattern.compile("  (\\S+) '").matcher(o.detail());
        byOp.merge(
            m.find() ? m.group(1) : "(outside oclc: the reference executor skips it too)",
            1,
            Integer::sum);
      }
    }
    return byOp;
  }
}
