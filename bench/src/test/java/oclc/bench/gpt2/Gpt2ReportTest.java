package oclc.bench.gpt2;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A figure's target is met per backend, only when the whole interval of its ratio is under it. */
class Gpt2ReportTest {
  @Test
  void aMedianUnderTheTargetWhoseIntervalReachesOverItIsMissed() {
    Map<String, Gpt2Report.Stat> byEngine = new LinkedHashMap<>();
    byEngine.put("oclc-opencl", Gpt2Report.Stat.of(new double[] {50, 80, 120}));
    byEngine.put("oclc-java", Gpt2Report.Stat.of(new double[] {80, 81, 82}));
    byEngine.put("ORT", Gpt2Report.Stat.of(new double[] {100, 100, 100}));
    var figure = new Gpt2Report.Figure("decode at 8", "ms/token", byEngine, null, 0.9, List.of());
    assertEquals(0.8, figure.ratio("oclc-opencl", "ORT"), 1e-12);
    assertFalse(figure.met("oclc-opencl", "ORT"), figure.interval("oclc-opencl", "ORT").toString());
    assertTrue(figure.met("oclc-java", "ORT"), figure.interval("oclc-java", "ORT").toString());
  }

  @Test
  void aTargetForOneBackendHoldsForNoOther() {
    Map<String, Gpt2Report.Stat> byEngine = new LinkedHashMap<>();
    byEngine.put("oclc-opencl", Gpt2Report.Stat.of(new double[] {0.3, 0.3}));
    byEngine.put("oclc-java", Gpt2Report.Stat.of(new double[] {0.3, 0.3}));
    byEngine.put("ORT", Gpt2Report.Stat.of(new double[] {2.0, 2.0}));
    var figure =
        new Gpt2Report.Figure("warm start", "s", byEngine, null, 0.2, List.of("oclc-opencl"));
    assertTrue(figure.met("oclc-opencl", "ORT"));
    assertNull(figure.targetFor("oclc-java"));
    assertNull(figure.met("oclc-java", "ORT"));
  }

  /**
   * A report whose bandwidth methods disagree (the old 190.9 GB/s against a triad of 36) leaves the
   * decode floor out and says why; its FMA methods agree, so the prefill floor stays.
   */
  @Test
  void aCeilingWhoseMethodsDisagreeLeavesItsFloorsOutOfTheTable() {
    List<Gpt2Report.Series> series = new java.util.ArrayList<>();
    for (String engine : List.of("oclc-opencl", "oclc-java", "ORT")) {
      List<Gpt2Engine.Run> runs = new java.util.ArrayList<>();
      for (int r = 0; r < 3; r++) {
        runs.add(
            new Gpt2Engine.Run(200 + r, 3 * (25 + r), 3, List.of(1L, 2L, 3L, 4L), List.of(), null));
      }
      series.add(Gpt2Report.Series.of(engine, 128, runs));
    }
    var report =
        new Gpt2Report(
            "model.onnx",
            3,
            1,
            List.of("oclc-opencl", "oclc-java", "ORT"),
            series,
            Map.of(),
            new oclc.bench.machine.MachineCeilings(2, 190.9, 36.0, 230, 225),
            new ModelFacts(124_000_000L, 496_000_000L),
            null,
            List.of());
    Gpt2Report.Figure prefill = report.figures().get(0);
    Gpt2Report.Figure decode = report.figures().get(1);
    assertEquals("decode at 128", decode.name());
    assertTrue(Double.isNaN(decode.floor()), "no decode floor from disagreeing bandwidths");
    assertEquals(2.0 * 124_000_000L * 128 / 230e9 * 1e3, prefill.floor(), 1e-9);
    String table = report.table();
    assertTrue(
        table.contains(
            "| decode at 128 ms/token | 26.0 [25.0..27.0] | 26.0 [25.0..27.0] | 26.0 [25.0..27.0] |"),
        table);
    assertTrue(table.contains("left out: the ceiling's methods disagree |"), table);
    assertTrue(table.contains("the methods DISAGREE, no bandwidth floor"), table);
    assertTrue(
        table.contains("oclc-opencl meets 0 of the 2 targets that hold for it"),
        "parity misses decode ≤ 0.90 and prefill ≤ 0.85:\n" + table);
  }
}
