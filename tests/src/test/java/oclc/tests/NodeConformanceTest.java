package oclc.tests;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import oclc.compiler.LoadedModel;
import oclc.compiler.conformance.ConformanceRunner;
import oclc.compiler.conformance.ConformanceRunner.Outcome;
import oclc.compiler.conformance.ConformanceRunner.Verdict;
import oclc.ir.OpRegistry;
import oclc.ir.passes.Passes;
import oclc.tests.support.CaseFolders;
import oclc.tests.support.ExpectedOutcomes;
import org.junit.jupiter.api.Test;

/**
 * The ONNX project's operator conformance cases on the reference executor: no case fails, and every
 * case has the outcome checked in for it (src/test/resources/conformance/reference.txt).
 */
class NodeConformanceTest {
  /** The floor this suite must keep; raise it as ops are added, never lower it. */
  private static final int MINIMUM_PASSED = 1108;

  @Test
  void noCaseFailsAndAtLeastTheFloorPasses() throws IOException {
    ConformanceRunner runner = new ConformanceRunner();
    Map<Verdict, List<Outcome>> byVerdict = new EnumMap<>(Verdict.class);
    for (Verdict v : Verdict.values()) {
      byVerdict.put(v, new ArrayList<>());
    }
    for (Path caseFolder : CaseFolders.under(SharedData.nodeTests())) {
      Outcome outcome = runner.run(caseFolder);
      byVerdict.get(outcome.verdict()).add(outcome);
    }
    List<String> report = new ArrayList<>();
    byVerdict.values().forEach(list -> list.forEach(o -> report.add(o.line())));
    String summary =
        byVerdict.get(Verdict.PASSED).size()
            + " passed, "
            + byVerdict.get(Verdict.FAILED).size()
            + " failed, "
            + byVerdict.get(Verdict.SKIPPED).size()
            + " skipped";
    report.add(summary);
    Path reportFile = Path.of("target", "node-conformance-reference.txt");
    Files.createDirectories(reportFile.getParent());
    Files.write(reportFile, report);
    System.out.println(
        "ONNX node tests on the reference executor: " + summary + " (details: " + reportFile + ")");

    List<Outcome> outcomes = new ArrayList<>();
    byVerdict.values().forEach(outcomes::addAll);
    ExpectedOutcomes.check(
        "reference",
        "The ONNX node tests (../shared/onnx-node-tests) on the reference executor",
        outcomes,
        false);
    List<String> failures = byVerdict.get(Verdict.FAILED).stream().map(Outcome::line).toList();
    assertTrue(
        failures.isEmpty(), failures.size() + " cases failed:\n" + String.join("\n", failures));
    assertTrue(byVerdict.get(Verdict.PASSED).size() >= MINIMUM_PASSED, summary);
    assertEveryRegisteredOpRanInAPassingCase(byVerdict.get(Verdict.PASSED));
  }

  /**
   * The executor checks every node's actual output shape against its inferred one, so a passing
   * case is also a test of each op's shape inference: every op must have one. ONNX Runtime's ops
   * have no ONNX node tests: MicrosoftOpsTest and MicrosoftAttentionOpsTest check each against ONNX
   * Runtime instead.
   */
  private static void assertEveryRegisteredOpRanInAPassingCase(List<Outcome> passed) {
    Set<String> exercised = new TreeSet<>();
    for (Outcome o : passed) {
      LoadedModel.load(o.caseFolder().resolve("model.onnx"), Passes.IMPORT)
          .imported()
          .nodes()
          .forEach(n -> exercised.add(n.qualifiedOpType()));
    }
    Set<String> missing = new TreeSet<>();
    OpRegistry.standard()
        .all()
        .forEach(op -> missing.add(OpRegistry.key(op.domain(), op.opType())));
    missing.removeAll(exercised);
    oclc.ir.ops.MicrosoftOps.definitions()
        .forEach(op -> missing.remove(OpRegistry.key(op.domain(), op.opType())));
    assertTrue(missing.isEmpty(), "ops that no passing conformance case runs: " + missing);
  }
}
