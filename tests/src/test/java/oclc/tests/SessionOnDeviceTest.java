package oclc.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import oclc.cli.LoadedModel;
import oclc.cli.TestDataSet;
import oclc.ir.Graph;
import oclc.ir.Node;
import oclc.ir.Tensor;
import oclc.ir.exec.Comparison;
import oclc.ir.exec.InputShapeException;
import oclc.ir.exec.ReferenceExecutor;
import oclc.ir.OclcException;
import oclc.runtime.Executable;
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
  @TempDir static Path folder;
  private static Executable executable;
  private static Graph graph;

  @BeforeAll
  static void compile() {
    executable = TestDevice.compile(MODEL, folder.resolve("gpt2.oclc"));
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
      new ReferenceExecutor().run(graph, set.inputs(), (Node node, List<Tensor> outputs) -> {
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
            assertClose(reference.get(output), session.read(output), "set " + n + " node " + launch.node() + " output " + output);
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
  void oneRowTakesTheGemvAndEveryAdmittedVariantComputesTheSame() {
    TestDataSet decode = set(0); // 1x1+5: one row
    try (Session session = executable.newSession()) {
      decode.inputs().forEach(session::bind);
      LaunchPlan plan = session.plan();
      PlannedLaunch head = plan.launch("/lm_head/MatMul");
      assertEquals("gemv_w8", head.variant());
      assertEquals(List.of("gemv_w8", "gemm_w8_r4"), head.admitted());
      session.run();
      Tensor viaGemv = session.output("logits");
      session.launch(head.node(), "gemm_w8_r4");
      session.finish();
      assertClose(viaGemv, session.read("logits"), "logits through the GEMM variant");
    }
    TestDataSet prefill = set(2); // 1x4+7: four rows
    try (Session session = executable.newSession()) {
      prefill.inputs().forEach(session::bind);
      LaunchPlan plan = session.plan();
      assertEquals(List.of("gemm_w8_r4"), plan.launch("/lm_head/MatMul").admitted());
      assertThrows(IllegalArgumentException.class, () -> session.launch("/lm_head/MatMul", "gemv_w8"));
    }
  }

  @Test
  void aWrongInputShapeNamesTheInputAndItsSymbolicShape() {
    TestDataSet set = set(1);
    try (Session session = executable.newSession()) {
      set.inputs().forEach(session::bind);
      session.bind("past_k_0", Tensor.allocate(oclc.ir.DType.FLOAT32, 2, 5, 16, 16)); // 5 heads, not 4
      InputShapeException e = assertThrows(InputShapeException.class, session::plan);
      assertTrue(e.getMessage().contains("past_k_0") && e.getMessage().contains("past_sequence_length"), e.getMessage());
      assertThrows(InputShapeException.class, () -> session.bind("no_such_input", Tensor.scalarLong(1)));
    }
  }

  @Test
  void anIntermediateReusedByALaterLaunchCannotBeReadAsIfItWereStillThere() {
    TestDataSet set = set(1);
    try (Session session = executable.newSession()) {
      set.inputs().forEach(session::bind);
      session.run();
      OclcException e = assertThrows(OclcException.class, () -> session.read("/h.0/ln_1/Sub_output_0"));
      assertTrue(e.getMessage().contains("overwritten"), e.getMessage());
    }
  }

  @Test
  void profiledLaunchesReportADeviceTimeForEveryDispatch() {
    TestDataSet set = set(1);
    try (Session session = executable.newSession().profile(true)) {
      set.inputs().forEach(session::bind);
      LaunchPlan plan = session.plan();
      session.run();
      long dispatches = plan.launches().stream().flatMap(l -> l.dispatches().stream()).filter(d -> !d.skipped()).count();
      var timings = session.timings();
      assertEquals(dispatches, timings.size());
      assertTrue(timings.stream().allMatch(t -> t.nanoseconds() >= 0));
      assertTrue(new ArrayList<>(timings).stream().anyMatch(t -> t.opType().equals("Gemm")));
    }
  }

  private static void assertClose(Tensor expected, Tensor actual, String what) {
    assertArrayEquals(expected.shape(), actual.shape(), what + ": shape");
    if (expected.dtype().isFloat()) {
      double error = Comparison.relativeL2(expected, actual);
      assertTrue(error <= 1e-5, what + ": relative L2 " + error);
    } else {
      assertTrue(Comparison.allClose(expected, actual, 0, 0).isEmpty(), what + ": " + Comparison.allClose(expected, actual, 0, 0));
    }
  }
}
