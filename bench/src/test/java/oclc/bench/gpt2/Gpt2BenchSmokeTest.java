package oclc.bench.gpt2;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import oclc.bench.BenchDevice;
import oclc.runtime.Devices;
import org.junit.jupiter.api.Test;

/**
 * The end-to-end benchmark, run for two decode steps on the bundled tiny model: its report has
 * both engines, every repeat, the tokens and logits of every step, agreeing engines and the table.
 * It checks the shape of the report, never a time.
 */
class Gpt2BenchSmokeTest {
  private static final Path MODEL = Path.of("..", "examples", "gpt2-tiny-past", "model.onnx");

  @Test
  void twoDecodeStepsOnTheTinyModelGiveAReportOfTheRightShape() {
    BenchDevice.require();
    String device = Devices.list().getFirst().name();
    var settings = new Gpt2Bench.Settings(5, 2, 1, 2, device, 1, Map.of(), 7, BenchDevice.cache(), true, true);
    StringWriter log = new StringWriter();
    Gpt2Report report = Gpt2Bench.measure(MODEL, settings, new PrintWriter(log, true));

    assertEquals(List.of("oclc", "ORT"), report.engines().stream().map(Gpt2Report.EngineResult::name).toList());
    for (Gpt2Report.EngineResult engine : report.engines()) {
      assertEquals(2, engine.runs().size(), engine.name() + ": one run per repeat");
      assertEquals(2, engine.prefillMillis().count());
      for (Gpt2Engine.Run run : engine.runs()) {
        assertEquals(2, run.decodeSteps());
        assertEquals(3, run.tokens().size(), "a token from the prefill and one from each step");
        assertEquals(3, run.logits().size());
        run.logits().forEach(row -> assertEquals(500, row.length, "the tiny model's vocabulary"));
      }
    }
    assertNotNull(report.find("oclc").medianSplit(), "oclc says where a decode step's time goes");
    assertNull(report.find("ORT").medianSplit());
    assertTrue(report.agreement().sameTokens(), "the same greedy tokens: " + report.table());
    assertTrue(report.agreement().maxRelativeL2() <= 1e-4, report.table());
    assertEquals(6, report.agreement().comparedSteps(), "three steps in each of two repeats");
    assertTrue(Double.isFinite(report.prefillRatio("oclc")) && Double.isFinite(report.decodeRatio("oclc")));

    String table = report.table();
    for (String row : List.of("prefill ms", "decode ms/token", "\noclc ", "\nORT ", "\noclc/ORT ",
        "greedy tokens: the same", "oclc decode step, median: plan", "oclc profiled prefill", "oclc profiled decode step")) {
      assertTrue(table.contains(row), "the table has '" + row.strip() + "':\n" + table);
    }
    assertTrue(log.toString().contains("repeat 2: oclc"), log.toString());
  }
}
