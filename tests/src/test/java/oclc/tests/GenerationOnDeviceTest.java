package oclc.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import oclc.artifact.Manifest;
import oclc.compiler.LoadedModel;
import oclc.compiler.generate.CachedStepper;
import oclc.compiler.generate.Generator;
import oclc.compiler.generate.HostStepper;
import oclc.compiler.generate.TokenChooser;
import oclc.ir.Graph;
import oclc.ir.Tensor;
import oclc.ir.ValueInfo;
import oclc.ir.exec.Comparison;
import oclc.ir.exec.ReferenceExecutor;
import oclc.runtime.Executable;
import oclc.runtime.LaunchPlan;
import oclc.runtime.Session;
import oclc.tests.support.TestDevice;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Generation with the KV cache kept on the device and appended in place, against the reference
 * executor stepping the same graph with the past handed back each step.
 */
class GenerationOnDeviceTest {
  private static final Path MODEL = Path.of("..", "examples", "gpt2-tiny-past", "model.onnx");
  private static final long[] PROMPT = {464, 329, 1, 77, 250};
  @TempDir static Path folder;
  private static Executable executable;
  private static Graph graph;

  @BeforeAll
  static void compile() {
    executable =
        TestDevice.compile(MODEL, folder.resolve("gpt2.oclc"), SessionOnDeviceTest.GPT2_RANGES);
    graph = LoadedModel.load(MODEL).simplified();
  }

  @AfterAll
  static void release() {
    if (executable != null) {
      executable.close();
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
  void theCachedDeviceGivesTheReferenceLogitsAtEveryStep() {
    try (Session session = executable.newSession().poisonBuffers(true)) {
      assertEquals(List.of("past_k_0", "past_v_0", "past_k_1", "past_v_1"), session.cachedInputs());
      Generator.Stepper device = cached(session);
      HostStepper reference = reference();
      long[] tokens = PROMPT;
      long cacheBytes = -1;
      for (int step = 0; step < 24; step++) {
        float[] expected = reference.step(tokens);
        float[] actual = device.step(tokens);
        double error =
            Comparison.relativeL2(
                Tensor.ofFloats(new long[] {expected.length}, expected),
                Tensor.ofFloats(new long[] {actual.length}, actual));
        assertTrue(error <= 1e-4, "step " + step + ": relative L2 " + error);
        LaunchPlan plan = session.currentPlan();
        if (cacheBytes < 0) {
          cacheBytes = plan.inputBytes();
        }
        assertEquals(
            cacheBytes, plan.inputBytes(), "the caches are allocated once, at their capacity");
        LaunchPlan.PlannedLaunch append = plan.launch("/h.0/attn/Concat_3");
        assertEquals("append_in_place", append.variant());
        var copy = append.dispatches().getFirst();
        // A work-item of a run copy moves a run of the head's 16 dims, of the element copy one
        // element.
        long perItem = copy.kernel().contains("run_copy") ? oclc.lowering.CopyGeometry.RUN : 1;
        long copied = copy.globalSize().stream().reduce(1L, (x, y) -> x * y) * perItem;
        assertEquals(
            4L * 16 * tokens.length, copied, "only the new keys are copied at step " + step);
        tokens = new long[] {TokenChooser.greedy().choose(expected)};
      }
    }
  }

  @Test
  void presentOutputsReadAsTheOnnxConcatAfterInPlaceSteps() {
    try (Session session = executable.newSession()) {
      CachedStepper device = cached(session);
      device.step(PROMPT);
      device.step(new long[] {7});
      device.step(new long[] {9});
      // The reference, given the whole sequence at once with no past, computes the same present.
      Map<String, Tensor> inputs = new LinkedHashMap<>();
      inputs.put("input_ids", Generator.ids(new long[] {464, 329, 1, 77, 250, 7, 9}));
      for (ValueInfo in : graph.inputs().subList(1, graph.inputs().size())) {
        inputs.put(in.name(), HostStepper.emptyPast(in));
      }
      Map<String, Tensor> expected = new ReferenceExecutor().run(graph, inputs);
      for (String present : List.of("present_k_0", "present_v_1")) {
        Tensor actual = session.output(present);
        assertEquals(
            List.of(1L, 4L, 7L, 16L), java.util.Arrays.stream(actual.shape()).boxed().toList());
        double error = Comparison.relativeL2(expected.get(present), actual);
        assertTrue(error <= 1e-5, present + ": relative L2 " + error);
      }
    }
  }

  @Test
  void sampledTokensAreTheSameOnEveryBackend() {
    List<List<Long>> runs = new ArrayList<>();
    runs.add(Generator.generate(reference(), PROMPT, 20, new TokenChooser(1.0, 40, 11)).tokens());
    try (Session session = executable.newSession()) {
      Generator.Result onDevice =
          Generator.generate(cached(session), PROMPT, 20, new TokenChooser(1.0, 40, 11));
      assertTrue(onDevice.mode().contains("KV cache on the device"), onDevice.mode());
      runs.add(onDevice.tokens());
    }
    try (Session session = executable.newSession()) {
      List<String> outputs =
          executable.manifest().outputs().stream().map(Manifest.TensorSpec::name).toList();
      HostStepper handedBack =
          new HostStepper(
              in -> {
                in.forEach(session::bind);
                session.run();
                Map<String, Tensor> results = new LinkedHashMap<>();
                outputs.forEach(o -> results.put(o, session.output(o)));
                return results;
              },
              graph.inputs(),
              outputs);
      runs.add(Generator.generate(handedBack, PROMPT, 20, new TokenChooser(1.0, 40, 11)).tokens());
    }
    assertEquals(runs.get(0), runs.get(1), "device with the cache in place");
    assertEquals(runs.get(0), runs.get(2), "device with the past handed back");
    assertTrue(
        runs.get(0).stream().distinct().count() > 3,
        "sampling, not one repeated token: " + runs.get(0));
  }
}
