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
}
