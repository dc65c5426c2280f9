package oclc.tests;

import static oclc.tests.support.DeviceAsserts.assertClose;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import oclc.compiler.LoadedModel;
import oclc.compiler.conformance.TestDataSet;
import oclc.ir.Graph;
import oclc.ir.Node;
import oclc.ir.OclcException;
import oclc.ir.Tensor;
import oclc.ir.exec.InputShapeException;
import oclc.ir.exec.ReferenceExecutor;
import oclc.runtime.Executable;
import oclc.runtime.KernelBuilder;
import oclc.runtime.LaunchPlan;
import oclc.runtime.LaunchPlan.PlannedLaunch;
import oclc.runtime.Session;
import oclc.tests.support.TestDevice;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The host API on the bundled GPT-2 decode graph: every node launched on its own against the
 * reference executor's value for that node, node-by-node launches against run(), and the plan's
 * choices and errors.
 */
class SessionOnDeviceTest {
  private static final Path MODEL = Path.of("..", "examples", "gpt2-tiny-past", "model.onnx");

  /** The ranges of the dynamic-shapes issue: one artifact for every prompt and cache length. */
  static final Map<String, String> GPT2_RANGES =
      Map.of("batch_size", "1..4", "sequence_length", "1..128", "past_sequence_length", "0..127");

  @TempDir static Path folder;
  private static Executable executable;
  private static Graph graph;

  @BeforeAll
  static void compile() {
    // --no-fuse: these are the API's promises for every node (launch any alone, read any
    // intermediate).
    executable = TestDevice.compile(MODEL, folder.resolve("gpt2.oclc"), GPT2_RANGES, false);
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
  void everyNodeLaunchedAloneMatchesTheReferenceValueOfThatNode() {
    for (int n : new int[] {1, 2}) { // 2x1+16 (decode, GEMM rows) and 1x4+7
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
          session.finish();
          for (String output : launch.outputShapes().keySet()) {
            assertClose(
                reference.get(output),
                session.read(output),
                "set " + n + " node " + launch.node() + " output " + output);
          }
        }
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
      LaunchPlan plan = session.plan();
      for (PlannedLaunch launch : plan) {
        session.launch(launch);
      }
      session.finish();
      assertArrayEquals(byRun.toFloatArray(), session.output("logits").toFloatArray());
    }
  }

  @Test
  void anArtifactOpenedWithItsOwnDeviceGivesTheSameLogitsAndReportsABrokenArtifact() {
    TestDataSet set = set(2);
    Path artifact = folder.resolve("gpt2.oclc");
    String device = TestDevice.context().info().name();
    try (Executable opened =
            Executable.open(artifact, device, TestDevice.cache(), KernelBuilder.SILENT, w -> {});
        Session session = opened.newSession().poisonBuffers(true)) {
      set.inputs().forEach(session::bind);
      session.run();
      assertClose(
          set.expectedOutputs().get("logits"),
          session.output("logits"),
          "logits on a device it opened");
    }
    var missing =
        assertThrows(
            oclc.artifact.ArtifactException.class,
            () ->
                Executable.open(
                    folder.resolve("none.oclc"),
                    device,
                    TestDevice.cache(),
                    KernelBuilder.SILENT,
                    w -> {}));
    assertTrue(missing.getMessage().contains("none.oclc"), missing.getMessage());
  }

  @Test
  void theRowCountPicksTheMatMulVariantAndOtherVariantsAreRefused() {
    Map<Integer, String> expected =
        Map.of(0, "gemv_w16_p4", 1, "gemm_w16_r8_p2", 2, "gemm_w16_r8_p2"); // rows 1, 2, 4
    for (var e : expected.entrySet()) {
      try (Session session = executable.newSession()) {
        set(e.getKey()).inputs().forEach(session::bind);
        PlannedLaunch head = session.plan().launch("/lm_head/MatMul");
        assertEquals(e.getValue(), head.variant());
        assertEquals(List.of(e.getValue()), head.admitted());
        String other = e.getValue().equals("gemv_w16_p4") ? "gemm_w16_r8_p2" : "gemv_w16_p4";
        IllegalArgumentException refused =
            assertThrows(IllegalArgumentException.class, () -> session.launch(head.node(), other));
        assertTrue(refused.getMessage().contains("does not admit"), refused.getMessage());
      }
    }
  }

  @Test
  void aShapeOutsideTheCompiledRangesNamesTheDimItsValueAndTheRange() {
    try (Session session = executable.newSession()) {
      TestDataSet set = set(1);
      set.inputs().forEach(session::bind);
      session.bind("input_ids", Tensor.allocate(oclc.ir.DType.INT64, 5, 1)); // batch 5 of 1..4
      for (String past : List.of("past_k_0", "past_v_0", "past_k_1", "past_v_1")) {
        session.bind(past, Tensor.allocate(oclc.ir.DType.FLOAT32, 5, 4, 16, 16));
      }
      InputShapeException e = assertThrows(InputShapeException.class, session::plan);
      assertTrue(
          e.getMessage().contains("batch_size = 5") && e.getMessage().contains("1..4"),
          e.getMessage());
    }
  }

  @Test
  void aWrongInputShapeNamesTheInputAndItsSymbolicShape() {
    TestDataSet set = set(1);
    try (Session session = executable.newSession()) {
      set.inputs().forEach(session::bind);
      session.bind(
          "past_k_0", Tensor.allocate(oclc.ir.DType.FLOAT32, 2, 5, 16, 16)); // 5 heads, not 4
      InputShapeException e = assertThrows(InputShapeException.class, session::plan);
      assertTrue(
          e.getMessage().contains("past_k_0") && e.getMessage().contains("past_sequence_length"),
          e.getMessage());
      assertThrows(
          InputShapeException.class, () -> session.bind("no_such_input", Tensor.scalarLong(1)));
    }
  }

  @Test
  void anIntermediateReusedByALaterLaunchCannotBeReadAsIfItWereStillThere() {
    TestDataSet set = set(1);
    try (Session session = executable.newSession()) {
      set.inputs().forEach(session::bind);
      session.run();
      OclcException e =
          assertThrows(OclcException.class, () -> session.read("/h.0/ln_1/Sub_output_0"));
      assertTrue(e.getMessage().contains("overwritten"), e.getMessage());
    }
  }

  @Test
  void keepingEveryValueLetsEveryIntermediateBeReadAfterAWholeRun() {
    TestDataSet set = set(1);
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
    try (Session session = executable.newSession().keepEveryValue(true)) {
      set.inputs().forEach(session::bind);
      session.run();
      LaunchPlan plan = session.currentPlan();
      for (PlannedLaunch launch : plan) {
        for (String output : launch.outputShapes().keySet()) {
          assertClose(
              reference.get(output),
              session.read(output),
              launch.node() + " " + output + " after the run");
        }
      }
      assertTrue(plan.slots() > 100, "a buffer per value: " + plan.slots());
    }
  }

  @Test
  void aNodesKernelCanBeReplacedInASessionAndLaunched() {
    TestDataSet decode = set(0); // one row: the LM head's GEMV
    try (Session session = executable.newSession()) {
      decode.inputs().forEach(session::bind);
      session.run();
      Tensor before = session.output("logits");
      PlannedLaunch head = session.currentPlan().launch("/lm_head/MatMul");
      String kernel = head.dispatches().getFirst().kernel();
      String doubled =
          executable
              .artifact()
              .kernelSource(kernel)
              .replace("c[first + 0] = sum.s0", "c[first + 0] = 2.0f * sum.s0");
      session.replaceKernel(head.node(), head.variant(), 0, doubled);
      session.launch(head.node(), head.variant());
      session.finish();
      Tensor after = session.read("logits");
      assertEquals(
          2 * before.getFloat(0), after.getFloat(0), 1e-6f * Math.abs(before.getFloat(0)) + 1e-7f);
      assertEquals(before.getFloat(1), after.getFloat(1), 0f, "only the lane that was changed");
      assertThrows(
          IllegalArgumentException.class,
          () -> session.replaceKernel("no such node", "gemv_w16_p4", 0, doubled));
    }
  }

  @Test
  void profiledLaunchesReportADeviceTimeForEveryDispatch() {
    TestDataSet set = set(1);
    try (Session session = executable.newSession().profile(true)) {
      set.inputs().forEach(session::bind);
      LaunchPlan plan = session.plan();
      session.run();
      long dispatches =
          plan.launches().stream()
              .flatMap(l -> l.dispatches().stream())
              .filter(d -> !d.skipped())
              .count();
      var timings = session.timings();
      assertEquals(dispatches, timings.size());
      assertTrue(timings.stream().allMatch(t -> t.nanoseconds() >= 0));
      assertTrue(new ArrayList<>(timings).stream().anyMatch(t -> t.opType().equals("Gemm")));
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
