package oclc.tests;

import static oclc.tests.support.DeviceAsserts.assertClose;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import oclc.artifact.Manifest;
import oclc.compiler.LoadedModel;
import oclc.compiler.conformance.TestDataSet;
import oclc.compiler.generate.CachedStepper;
import oclc.compiler.generate.Generator;
import oclc.compiler.generate.HostStepper;
import oclc.compiler.generate.TokenChooser;
import oclc.ir.Graph;
import oclc.ir.Tensor;
import oclc.ir.ValueInfo;
import oclc.ir.exec.Comparison;
import oclc.ir.exec.ReferenceExecutor;
import oclc.runtime.Session;
import oclc.runtime.cpu.JavaExecutable;
import oclc.tests.support.JavaDevice;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fusion on the Java backend: the exporter's decomposed LayerNorms (the patterns the OpenCL
 * lowering fuses) as one LayerNormalization launch each, against the unfused artifact and the
 * reference, and the errors for what a fused launch hides.
 */
class JavaFusionTest {
  private static final Path MODEL = Path.of("..", "examples", "gpt2-tiny-past", "model.onnx");
  private static final long[] PROMPT = {464, 329, 1, 77, 250};
  private static final String LN = "/h.0/ln_1/ReduceMean";
  @TempDir static Path folder;
  private static JavaExecutable fused;
  private static JavaExecutable alone;
  private static Graph graph;

  @BeforeAll
  static void compile() {
    fused =
        JavaDevice.compile(
            MODEL, folder.resolve("fused.oclc"), SessionOnDeviceTest.GPT2_RANGES, true);
    alone =
        JavaDevice.compile(
            MODEL, folder.resolve("alone.oclc"), SessionOnDeviceTest.GPT2_RANGES, false);
    graph = LoadedModel.load(MODEL).simplified();
  }

  @AfterAll
  static void release() {
    if (fused != null) {
      fused.close();
    }
    if (alone != null) {
      alone.close();
    }
  }

  @Test
  void everyDecomposedLayerNormIsOneLaunchOfTheLayerNormKernel() {
    Manifest manifest = fused.manifest();
    assertTrue(manifest.fusion());
    assertFalse(alone.manifest().fusion());
    assertEquals(graph.nodes().size(), alone.manifest().nodes().size());
    List<Manifest.NodeLaunches> norms =
        manifest.nodes().stream().filter(n -> !n.fused().isEmpty()).toList();
    long layerNorms = graph.nodes().stream().filter(n -> n.name().endsWith("/ReduceMean")).count();
    assertEquals(
        layerNorms,
        norms.size(),
        "one launch per LayerNorm: " + norms.stream().map(Manifest.NodeLaunches::name).toList());
    for (Manifest.NodeLaunches norm : norms) {
      assertEquals(8, norm.fused().size(), norm.name() + " covers " + norm.fused());
      assertEquals(8, norm.internal().size(), norm.name() + " keeps " + norm.internal());
      assertTrue(
          norm.variants().stream()
              .allMatch(
                  v -> v.dispatches().stream().allMatch(d -> d.kernel().startsWith("layer_norm"))),
          norm.name() + ": " + norm.variants());
      assertTrue(
          manifest.buffers().stream().noneMatch(b -> norm.internal().contains(b.name())),
          "no buffer for the values inside " + norm.name());
    }
    assertEquals(graph.nodes().size() - 8 * layerNorms, manifest.nodes().size());
  }

  @Test
  void fusedLogitsMatchTheUnfusedOnesAndTheExpectedOnesForEverySet() {
    for (int n : new int[] {0, 1, 2}) {
      TestDataSet set = TestDataSet.read(MODEL.getParent().resolve("test_data_set_" + n), graph);
      try (Session withFusion = fused.newSession().poisonBuffers(true);
          Session without = alone.newSession().poisonBuffers(true)) {
        set.inputs().forEach(withFusion::bind);
        set.inputs().forEach(without::bind);
        withFusion.run();
        without.run();
        Tensor logits = withFusion.output("logits");
        assertClose(set.expectedOutputs().get("logits"), logits, "set " + n + " fused");
        double error = Comparison.relativeL2(without.output("logits"), logits);
        assertTrue(error <= 1e-5, "set " + n + ": fused against unfused, relative L2 " + error);
      }
    }
  }

  @Test
  void greedyTokensWithTheCacheInPlaceAreTheReferences() {
    HostStepper reference =
        new HostStepper(
            in -> new ReferenceExecutor().run(graph, in),
            graph.inputs(),
            graph.outputs().stream().map(ValueInfo::name).toList());
    List<Long> expected = Generator.generate(reference, PROMPT, 16, TokenChooser.greedy()).tokens();
    Map<String, long[]> empty = new LinkedHashMap<>();
    for (ValueInfo in : graph.inputs().subList(1, graph.inputs().size())) {
      empty.put(in.name(), HostStepper.emptyPast(in).shape());
    }
    try (Session session = fused.newSession().poisonBuffers(true)) {
      CachedStepper cached = new CachedStepper(session, "input_ids", "logits", empty);
      assertEquals(
          expected, Generator.generate(cached, PROMPT, 16, TokenChooser.greedy()).tokens());
    }
  }

  @Test
  void aFusedAwayNodeOrAValueInsideALaunchNamesTheLaunch() {
    TestDataSet set = TestDataSet.read(MODEL.getParent().resolve("test_data_set_0"), graph);
    try (Session session = fused.newSession()) {
      set.inputs().forEach(session::bind);
      session.run();
      IllegalArgumentException node =
          assertThrows(
              IllegalArgumentException.class, () -> session.launch("/h.0/ln_1/Sqrt", "unary_sqrt"));
      assertTrue(
          node.getMessage().contains("fused into the launch of '" + LN + "'"), node.getMessage());
      IllegalArgumentException value =
          assertThrows(
              IllegalArgumentException.class, () -> session.read("/h.0/ln_1/Sqrt_output_0"));
      assertTrue(
          value.getMessage().contains("inside the fused launch of '" + LN + "'")
              && value.getMessage().contains("compiled without fusion"),
          value.getMessage());
      session.launch(LN, session.currentPlan().launch(LN).variant());
    }
  }
}
