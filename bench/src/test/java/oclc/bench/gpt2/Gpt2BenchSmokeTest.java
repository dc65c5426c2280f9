package oclc.bench.gpt2;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import javax.xml.parsers.DocumentBuilderFactory;
import oclc.bench.BenchDevice;
import oclc.bench.machine.MachineCeilings;
import oclc.onnx.quantize.WeightFormat;
import oclc.runtime.Devices;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xml.sax.InputSource;

/**
 * The end-to-end benchmark, run for two decode steps on the bundled tiny model: its report has both
 * engines, every repeat, the tokens and logits of every step, agreeing engines and the table. It
 * checks the shape of the report, never a time.
 */
class Gpt2BenchSmokeTest {
  private static final Path MODEL = Path.of("..", "examples", "gpt2-tiny-past", "model.onnx");

  @Test
  void twoDecodeStepsOnTheTinyModelGiveAReportOfTheRightShape() {
    BenchDevice.require();
    String device = Devices.list().getFirst().name();
    var ceilings =
        new MachineCeilings(
            1, 10, 10, 100, 100); // given: the test checks the report, not the machine
    var settings =
        new Gpt2Bench.Settings(
            List.of(3, 5),
            2,
            1,
            2,
            device,
            1,
            Map.of(),
            7,
            BenchDevice.cache(),
            true,
            false,
            ceilings,
            true,
            List.of("opencl", "java"));
    StringWriter log = new StringWriter();
    Gpt2Report report = Gpt2Bench.measure(MODEL, settings, new PrintWriter(log, true));

    assertEquals(List.of("oclc-opencl", "oclc-java", "ORT"), report.engines());
    assertEquals(List.of(3, 5), report.lengths());
    for (Gpt2Report.Series series : report.series()) {
      assertEquals(2, series.runs().size(), series.engine() + ": one run per repeat");
      assertEquals(2, series.prefillMillis().count());
      for (Gpt2Engine.Run run : series.runs()) {
        assertEquals(2, run.decodeSteps());
        assertEquals(3, run.tokens().size(), "a token from the prefill and one from each step");
        assertEquals(3, run.logits().size());
        run.logits().forEach(row -> assertEquals(500, row.length, "the tiny model's vocabulary"));
      }
    }
    assertNotNull(
        report.find("oclc-opencl", 5).medianSplit(), "oclc says where a decode step's time goes");
    assertNotNull(report.find("oclc-java", 5).medianSplit());
    assertNull(report.find("ORT", 5).medianSplit());
    for (int length : List.of(3, 5)) {
      Gpt2Report.Agreement agreement = report.agreements().get(length);
      assertTrue(agreement.sameTokens(), "the same greedy tokens: " + report.table());
      assertTrue(agreement.maxRelativeL2() <= 1e-4, report.table());
      assertEquals(
          12,
          agreement.comparedSteps(),
          "three steps in each of two repeats, for each oclc backend");
    }
    List<String> figures = report.figures().stream().map(Gpt2Report.Figure::name).toList();
    assertEquals(List.of("prefill 3", "prefill 5", "decode at 3", "decode at 5"), figures);
    Gpt2Report.Figure decode = report.figures().get(2);
    assertTrue(Double.isFinite(decode.ratio("oclc-opencl", "ORT")), report.table());
    assertTrue(Double.isFinite(decode.ratio("oclc-java", "ORT")), report.table());
    assertEquals(
        report.facts().matmulWeightBytes() / 10e9 * 1e3,
        decode.floor(),
        1e-9,
        "weights over 10 GB/s");

    String table = report.table();
    for (String row :
        List.of(
            "| figure | oclc-opencl | oclc-java | ORT | oclc-opencl/ORT (target) | oclc-java/ORT (target) | floor |",
            "| prefill 3 ms |",
            "| decode at 5 ms/token |",
            "| floor | oclc-opencl at floor | oclc-java at floor |",
            "(≤ 0.90 ",
            "| target (each backend on its own) | oclc-opencl | oclc-java |",
            "| decode at 5 | ",
            "oclc-opencl meets ",
            "oclc-java meets ",
            "bootstrap 90% interval, 2000 resamples",
            "prompt 5: greedy tokens the same",
            "oclc-opencl decode step at 5, median: plan",
            "oclc-java decode step at 5, median: plan",
            "oclc-opencl profiled prefill of 5",
            "oclc-java profiled decode step")) {
      assertTrue(table.contains(row), "the table has '" + row.strip() + "':\n" + table);
    }
    assertTrue(
        log.toString().contains("repeat 1, prompt 5: oclc-java"),
        "the order rotates each repeat (the warm-up was the first):\n" + log);
    assertTrue(log.toString().contains("repeat 2, prompt 5: ORT"), log.toString());
    assertTrue(
        report.figures().get(0).target() == null, "no target for a prefill under 128 tokens");
    for (String engine : List.of("oclc-opencl", "oclc-java")) {
      var ratio = decode.interval(engine, "ORT");
      assertTrue(ratio.low() <= ratio.ratio() && ratio.ratio() <= ratio.high(), ratio.toString());
      assertEquals(ratio.within(0.90), decode.met(engine, "ORT"));
    }

    String svg = BenchChart.svg(report);
    assertDoesNotThrow(
        () ->
            DocumentBuilderFactory.newInstance()
                .newDocumentBuilder()
                .parse(new InputSource(new StringReader(svg))),
        "the chart is well-formed XML:\n" + svg);
    assertEquals(
        8, svg.split("<title>oclc-", -1).length - 1, "a bar per figure and backend:\n" + svg);
    assertEquals(
        2, svg.split("stroke-dasharray", -1).length - 1, "a target per decode figure:\n" + svg);
  }

  /**
   * The start-up on the Java backend (no OpenCL compile, to keep it short): oclc's warm start, and
   * ORT's both from the .onnx and from the optimized model it saved, every engine once a round.
   */
  @Test
  void theWarmStartTimesOrtFromTheOnnxAndFromItsSavedOptimizedModel() {
    var settings =
        new Gpt2Bench.Settings(
            List.of(3),
            1,
            0,
            2,
            "cpu",
            1,
            Map.of(),
            7,
            BenchDevice.cache(),
            false,
            true,
            new MachineCeilings(1, 10, 10, 100, 100),
            true,
            List.of("java"));
    StringWriter log = new StringWriter();
    Gpt2Report report = Gpt2Bench.measure(MODEL, settings, new PrintWriter(log, true));

    Map<String, Gpt2Report.Stat> warm = report.startup().warmStartSeconds();
    assertEquals(
        java.util.Set.of("oclc-java", "ORT", Gpt2Report.ORT_OPTIMIZED),
        warm.keySet(),
        log.toString());
    warm.values().forEach(stat -> assertEquals(2, stat.count()));
    assertTrue(
        report.startup().coldCompileSeconds().containsKey("ORT"),
        "ORT's saving of its optimized model is timed as its compile");
    List<String> figures = report.figures().stream().map(Gpt2Report.Figure::name).toList();
    assertTrue(
        figures.containsAll(
            List.of(
                "warm start to first token, ORT from the .onnx",
                "warm start to first token, ORT from its saved optimized model")),
        figures.toString());
    Gpt2Report.Figure fromSaved = report.figures().getLast();
    assertEquals(warm.get(Gpt2Report.ORT_OPTIMIZED), fromSaved.byEngine().get("ORT"));
    assertNull(fromSaved.targetFor("oclc-java"), "the warm start's target is OpenCL's alone");
    String table = report.table();
    assertTrue(
        table.contains("every engine's last warm start chose token"),
        "the same first token from every start:\n" + table);
    assertTrue(log.toString().contains("startup: ORT optimized warm start 2 of 2"), log.toString());
  }

  /**
   * --weights int4 on the tiny model: the int4 file written once and run on both oclc backends and
   * on ORT at accuracy_level 0 and 4, in the fp32 rows' rotation; its rows, ratios against ORT fp32
   * and against ORT on the same file, its own byte floor, and oclc choosing the tokens ORT does on
   * the same file.
   */
  @Test
  void int4WeightsGetTheirOwnRowsAndByteFloorOnBothBackendsAndOrt(@TempDir Path out) {
    BenchDevice.require();
    String device = Devices.list().getFirst().name();
    var settings =
        new Gpt2Bench.Settings(
            List.of(4),
            2,
            0,
            2,
            device,
            1,
            Map.of(),
            7,
            BenchDevice.cache(),
            false,
            false,
            new MachineCeilings(1, 10, 10, 100, 100),
            true,
            List.of("opencl", "java"),
            List.of(WeightFormat.FP32, WeightFormat.INT4),
            32,
            out);
    StringWriter log = new StringWriter();
    Gpt2Report report = Gpt2Bench.measure(MODEL, settings, new PrintWriter(log, true));

    assertEquals(List.of("oclc-opencl", "oclc-java", "ORT"), report.engines(), "fp32 as before");
    assertEquals(1, report.formats().size());
    FormatRows int4 = report.formats().getFirst();
    assertEquals(List.of("oclc-opencl int4", "oclc-java int4"), int4.oclcEngines());
    assertEquals(List.of("ORT int4", "ORT int4 acc4"), int4.ortEngines());
    for (String engine : int4.engines()) {
      Gpt2Report.Series series = report.find(engine, 4);
      assertEquals(2, series.runs().size(), engine);
      series.runs().forEach(run -> assertEquals(3, run.tokens().size(), engine));
    }
    assertTrue(out.resolve("model-int4.onnx").toFile().isFile(), "the file is kept in --out");
    assertTrue(out.resolve("model-int4-acc4.onnx").toFile().isFile());
    assertTrue(
        int4.facts().matmulWeightBytes() < report.facts().matmulWeightBytes() / 4,
        "int4's floor is its own: "
            + int4.facts().matmulWeightBytes()
            + " bytes against fp32's "
            + report.facts().matmulWeightBytes());
    assertTrue(
        int4.agreements().get(4).sameTokens(), "oclc and ORT on the same file: " + report.table());
    assertEquals(
        12,
        int4.agreements().get(4).comparedSteps(),
        "three steps in each of two repeats, for each oclc backend against ORT int4 alone");
    assertEquals(6, int4.levelFourAgreements().get(4).comparedSteps(), "ORT level 4 against 0");
    assertTrue(
        log.toString().contains("repeat 2, prompt 4: oclc-java"),
        "one rotation over every engine:\n" + log);
    String table = report.table();
    for (String row :
        List.of(
            "int4 weights: a decode step reads ",
            "| int4 figure | engine | median [min..max] | /ORT | /ORT int4 | /ORT int4 acc4 | at floor |",
            "| decode at 4 ms/token | oclc-opencl int4 | ",
            "| decode at 4 ms/token | oclc-java int4 | ",
            "| decode at 4 ms/token | ORT int4 acc4 | ",
            "| prefill 4 ms | ORT int4 | ",
            "(≤ 0.30 ",
            "(≤ 0.80 ",
            "(≥ 70% ",
            "int4 prompt 4: greedy tokens of every oclc engine and repeat the same as ORT int4",
            "int4 prompt 4: ORT int4 acc4 (int8 arithmetic) against ORT int4: greedy tokens ",
            "oclc-java int4 decode at 4: issue 17's targets (≤ 0.30 × ORT, ≤ 0.80 × ORT int4 and ORT int4 acc4, ≥ 70% of the floor) ")) {
      assertTrue(table.contains(row), "the table has '" + row.strip() + "':\n" + table);
    }
    assertTrue(
        int4.decodeFloorMillis(10) == int4.facts().matmulWeightBytes() / 10e9 * 1e3,
        "the floor: the file's bytes per token over the bandwidth");
  }
}
