package oclc.tests;

import static oclc.tests.support.DeviceAsserts.assertClose;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.HashMap;
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
import oclc.ir.DType;
import oclc.ir.Graph;
import oclc.ir.Node;
import oclc.ir.OclcException;
import oclc.ir.Tensor;
import oclc.ir.ValueInfo;
import oclc.ir.exec.Comparison;
import oclc.ir.exec.InputShapeException;
import oclc.ir.exec.ReferenceExecutor;
import oclc.runtime.LaunchPlan;
import oclc.runtime.LaunchPlan.PlannedLaunch;
import oclc.runtime.Session;
import oclc.runtime.cpu.JavaExecutable;
import oclc.tests.support.JavaDevice;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The host API on the Java backend, on the bundled GPT-2 decode graph compiled for every prompt and
 * cache length: every node alone against the reference, the variants the row count picks, the
 * errors, poisoned and kept buffers, profiles, and generation with the KV cache in place.
 */
class JavaSessionTest {
  private static final Path MODEL = Path.of("..", "examples", "gpt2-tiny-past", "model.onnx");
  private static final long[] PROMPT = {464, 329, 1, 77, 250};
  @TempDir static Path folder;
  private static JavaExecutable executable;
  private static Graph graph;

  @BeforeAll
  static void compile() {
    executable =
        JavaDevice.compile(MODEL, folder.resolve("gpt2.oclc"), SessionOnDeviceTest.GPT2_RANGES);
    graph = LoadedModel.load(MODEL).simplified();
  }

  @AfterAll
  static void release() {
    if (executable != null) {
      executable.close();
    }
  }

  private static TestDataSet set(int n) {
    return TestDataSet.read(MODEL.getParent().resolve("test_data_set_" + n), graph);
  }

  @Test
  void theArtifactRecordsJavaVariantsAndNoGpt2NodeTakesTheFallback() {
    Manifest manifest = executable.manifest();
    assertEquals(Manifest.JAVA, manifest.backend());
    assertTrue(
        manifest.kernels().stream().allMatch(k -> k.file().endsWith(".json")),
        manifest.kernels().toString());
    for (Manifest.NodeLaunches node : manifest.nodes()) {
      assertTrue(
          node.variants().stream().noneMatch(v -> v.name().equals("reference")),
          node.name() + " takes the fallback");
    }
    Manifest.NodeLaunches head =
        manifest.nodes().stream()
            .filter(n -> n.name().equals("/lm_head/MatMul"))
            .findFirst()
            .orElseThrow();
    assertEquals(
        List.of("gemv_rows1", "gemm_rows2..16", "gemm_rows17..512"),
        head.variants().stream().map(Manifest.Variant::name).toList());
  }

  @Test
  void everyNodeLaunchedAloneMatchesTheReferenceValueOfThatNode() {
    for (int n : new int[] {0, 1, 2}) {
      TestDataSet set = set(n);
      Map<String, Tensor> reference = new HashMap<>();
      new ReferenceExecutor()
          .run(
              graph,
              set.inputs(),
              (Node node, List<Tensor> outputs) -> {
                for (int i = 0; i < outputs.size(); i++) {
                  reference.put(node.outputs().get(i), outputs.get(i));
                }
              });
      try (Session session = executable.newSession().poisonBuffers(true)) {
        set.inputs().forEach(session::bind);
        LaunchPlan plan = session.plan();
        assertEquals(graph.nodes().size(), plan.launches().size());
        for (PlannedLaunch launch : plan) {
          session.launch(launch.node(), launch.variant());
          for (String output : launch.outputShapes().keySet()) {
            assertClose(
                reference.get(output),
                session.read(output),
                "set " + n + " node " + launch.node() + " " + output);
          }
        }
      }
    }
  }

  @Test
  void oneRowTakesTheGemvAndMoreRowsTheGemmAndOtherVariantsAreRefused() {
    Map<Integer, String> expected =
        Map.of(0, "gemv_rows1", 1, "gemm_rows2..16", 2, "gemm_rows2..16");
    for (var e : expected.entrySet()) {
      try (Session session = executable.newSession()) {
        set(e.getKey()).inputs().forEach(session::bind);
        PlannedLaunch head = session.plan().launch("/lm_head/MatMul");
        assertEquals(e.getValue(), head.variant());
        assertEquals(List.of(e.getValue()), head.admitted());
        String other = e.getValue().startsWith("gemv") ? "gemm_rows17..512" : "gemv_rows1";
        IllegalArgumentException refused =
            assertThrows(IllegalArgumentException.class, () -> session.launch(head.node(), other));
        assertTrue(
            refused.getMessage().contains("does not admit") && refused.getMessage().contains("==")
                || refused.getMessage().contains("<="),
            refused.getMessage());
      }
    }
  }

  /**
   * One session re-planned as the shapes grow and shrink: sizes kept from the plan before must
   * follow the symbols.
   */
  @Test
  void oneSessionReplannedForOtherShapesGivesEachSetsLogits() {
    try (Session session = executable.newSession().poisonBuffers(true)) {
      for (int n : new int[] {0, 2, 1, 2, 0, 0}) {
        TestDataSet set = set(n);
        set.inputs().forEach(session::bind);
        session.run();
        assertClose(
            set.expectedOutputs().get("logits"), session.output("logits"), "logits of set " + n);
      }
    }
  }

  @Test
  void launchingNodeByNodeGivesTheSameLogitsAsRun() {
    TestDataSet set = set(1);
    try (Session session = executable.newSession()) {
      set.inputs().forEach(session::bind);
      session.run();
      Tensor byRun = session.output("logits");
      assertClose(set.expectedOutputs().get("logits"), byRun, "logits of run()");
      for (PlannedLaunch launch : session.plan()) {
        session.launch(launch);
      }
      assertArrayEquals(byRun.toFloatArray(), session.output("logits").toFloatArray());
    }
  }

  @Test
  void aShapeOutsideTheCompiledRangesNamesTheSymbolItsValueAndTheRange() {
    try (Session session = executable.newSession()) {
      set(1).inputs().forEach(session::bind);
      session.bind("input_ids", Tensor.allocate(DType.INT64, 5, 1)); // batch 5 of 1..4
      for (String past : List.of("past_k_0", "past_v_0", "past_k_1", "past_v_1")) {
        session.bind(past, Tensor.allocate(DType.FLOAT32, 5, 4, 16, 16));
      }
      InputShapeException e = assertThrows(InputShapeException.class, session::plan);
      assertTrue(
          e.getMessage().contains("batch_size = 5") && e.getMessage().contains("1..4"),
          e.getMessage());
    }
  }

  @Test
  void aWrongInputShapeNamesTheInputAndItsSymbolicShape() {
    try (Session session = executable.newSession()) {
      set(1).inputs().forEach(session::bind);
      session.bind("past_k_0", Tensor.allocate(DType.FLOAT32, 2, 5, 16, 16)); // 5 heads, not 4
      InputShapeException e = assertThrows(InputShapeException.class, session::plan);
      assertTrue(
          e.getMessage().contains("past_k_0") && e.getMessage().contains("past_sequence_length"),
          e.getMessage());
    }
  }

  @Test
  void poisonedBuffersShowWhatNoLaunchWrote() {
    try (Session session = executable.newSession().poisonBuffers(true)) {
      set(1).inputs().forEach(session::bind);
      LaunchPlan plan = session.plan();
      PlannedLaunch head = plan.launch("/lm_head/MatMul");
      session.launch(head); // its input was never computed: the poison flows through
      float[] logits = session.read("logits").toFloatArray();
      assertTrue(
          logits.length > 0 && java.util.Arrays.stream(toDoubles(logits)).allMatch(Double::isNaN),
          "every logit is NaN");
      session.run();
      assertTrue(
          java.util.Arrays.stream(toDoubles(session.output("logits").toFloatArray()))
              .noneMatch(Double::isNaN));
    }
  }

  private static double[] toDoubles(float[] values) {
    double[] d = new double[values.length];
    for (int i = 0; i < values.length; i++) {
      d[i] = values[i];
    }
    return d;
  }

  @Test
  void anIntermediateReusedByALaterLaunchCannotBeReadButKeptValuesCan() {
    try (Session session = executable.newSession()) {
      set(1).inputs().forEach(session::bind);
      session.run();
      OclcException e =
          assertThrows(OclcException.class, () -> session.read("/h.0/attn/Div_output_0"));
      assertTrue(e.getMessage().contains("overwritten"), e.getMessage());
      session.keepEveryValue(true);
      session.run();
      assertEquals(
          graph.type("/h.0/attn/Div_output_0").orElseThrow().shape().rank(),
          session.read("/h.0/attn/Div_output_0").rank());
    }
  }

  @Test
  void profiledLaunchesReportATimeForEveryDispatch() {
    try (Session session = executable.newSession().profile(true)) {
      set(1).inputs().forEach(session::bind);
      LaunchPlan plan = session.plan();
      session.run();
      long dispatches =
          plan.launches().stream()
              .flatMap(l -> l.dispatches().stream())
              .filter(d -> !d.skipped())
              .count();
      assertEquals(dispatches, session.timings().size());
      assertTrue(
          session.timings().stream()
              .anyMatch(t -> t.opType().equals("Gemm") && t.variant().startsWith("gemm")));
    }
  }

  private static HostStepper reference() {
    return new HostStepper(
        in -> new ReferenceExecutor().run(graph, in),
        graph.inputs(),
        graph.outputs().stream().map(ValueInfo::name).toList());
  }

  private static CachedStepper cached(Session session) {
    Map<String, long[]> empty = new LinkedHashMap<>();
    for (ValueInfo in : graph.inputs().subList(1, graph.inputs().size())) {
      empty.put(in.name(), HostStepper.emptyPast(in).shape());
    }
    return new CachedStepper(session, "input_ids", "logits", empty);
  }

  @Test
  void theCacheInPlaceGivesTheReferenceLogitsAtEveryStepWithGemvForDecode() {
    try (Session session = executable.newSession().poisonBuffers(true)) {
      assertEquals(List.of("past_k_0", "past_v_0", "past_k_1", "past_v_1"), session.cachedInputs());
      Generator.Stepper java = cached(session);
      HostStepper reference = reference();
      long[] tokens = PROMPT;
      long cacheBytes = -1;
      for (int step = 0; step < 24; step++) {
        float[] expected = reference.step(tokens);
        float[] actual = java.step(tokens);
        double error =
            Comparison.relativeL2(
                Tensor.ofFloats(new long[] {expected.length}, expected),
                Tensor.ofFloats(new long[] {actual.length}, actual));
        assertTrue(error <= 1e-4, "step " + step + ": relative L2 " + error);
        LaunchPlan plan = session.currentPlan();
        cacheBytes = cacheBytes < 0 ? plan.inputBytes() : cacheBytes;
        assertEquals(
            cacheBytes, plan.inputBytes(), "the caches are allocated once, at their capacity");
        assertEquals("append_in_place", plan.launch("/h.0/attn/Concat_3").variant());
        assertEquals(
            step == 0 ? "gemm_rows2..16" : "gemv_rows1", plan.launch("/lm_head/MatMul").variant());
        tokens = new long[] {TokenChooser.greedy().choose(expected)};
      }
    }
  }

  @Test
  void greedyAndSampledTokensAreTheReferences() {
    List<java.util.function.Supplier<TokenChooser>> choosers =
        List.of(TokenChooser::greedy, () -> new TokenChooser(1.0, 40, 11));
    for (var chooser : choosers) {
      List<Long> expected = Generator.generate(reference(), PROMPT, 20, chooser.get()).tokens();
      try (Session session = executable.newSession()) {
        assertEquals(
            expected, Generator.generate(cached(session), PROMPT, 20, chooser.get()).tokens());
      }
    }
  }

  @Test
  void anOutputReadIntoAnEarlierTensorGivesTheSameValuesInThatTensorsMemory() {
    try (var session = executable.newSession()) {
      set(1).inputs().forEach(session::bind);
      session.run();
      oclc.tests.support.OutputReuse.assertReadsIntoAnEarlierTensor(session);
    }
  }
}
