package oclc.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import oclc.compiler.generate.Generator;
import oclc.compiler.generate.Steppers;
import oclc.compiler.generate.TokenChooser;
import oclc.runtime.CompiledModel;
import oclc.runtime.Session;
import oclc.tests.support.JavaDevice;
import oclc.tests.support.TestDevice;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Generation on the Llama exports compiled for each fast backend (OpenCL on the CPU device, Java),
 * every node native (ConstantOfShape's fill among them), against ONNX Runtime Java recomputing
 * every step from scratch: drawn prompts of lengths 1 to 9 and six new tokens, so the past runs
 * from 0 to 14 positions; one prompt at a time and the three as one left-padded batch (its mask and
 * positions as {@code DecoderInputs} makes them). The host hands the past back each step.
 */
class LlamaGenerationOnBackendsTest {
  /** The batch of three, and sequences to 16 (the no-past export recomputes every position). */
  private static final Map<String, String> RANGES =
      Map.of("batch_size", "1..3", "sequence_length", "1..16");

  @TempDir Path folder;

  @ParameterizedTest
  @CsvSource({
    "llama-tiny-past-opset14, cpu",
    "llama-tiny-past-opset14, java",
    "llama-tiny-nopast-opset17, cpu",
    "llama-tiny-nopast-opset17, java"
  })
  void generationGivesOnnxRuntimesTokensSingleAndLeftPadded(String modelName, String backend)
      throws OrtException {
    Path modelFile = SharedData.models().resolve(modelName).resolve("model.onnx");
    long seed = System.nanoTime();
    Random random = new Random(seed);
    List<long[]> prompts = new ArrayList<>();
    for (int i = 0; i < 3; i++) { // lengths 1-3, 4-6, 7-9: every row but the longest is padded
      prompts.add(random.longs(1 + 3 * i + random.nextInt(3), 0, 512).toArray());
    }
    Collections.shuffle(prompts, random);
    String where = modelName + " on " + backend + " (seed " + seed + ")";
    List<List<Long>> expected = new ArrayList<>();
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
      options.setIntraOpNumThreads(1);
      try (OrtSession session = env.createSession(modelFile.toString(), options)) {
        for (long[] prompt : prompts) {
          expected.add(LlamaGenerationTest.recomputed(env, session, prompt));
        }
      }
    }
    Path artifact = folder.resolve(modelName + "-" + backend + ".oclc");
    Map<String, String> ranges = new java.util.HashMap<>(RANGES);
    if (modelName.contains("-past-")) {
      ranges.put("past_sequence_length", "0..32");
    }
    try (CompiledModel model =
        backend.equals("java")
            ? JavaDevice.compile(modelFile, artifact, ranges, true)
            : TestDevice.compile(modelFile, artifact, ranges)) {
      check(model, prompts, expected, where);
    }
  }

  private static void check(
      CompiledModel model, List<long[]> prompts, List<List<Long>> expected, String where) {
    for (int i = 0; i < prompts.size(); i++) {
      try (Session session = model.newSession()) {
        assertEquals(
            expected.get(i),
            Generator.generate(
                    Steppers.hostStepper(model.manifest(), session),
                    prompts.get(i),
                    LlamaGenerationTest.NEW_TOKENS,
                    TokenChooser.greedy())
                .tokens(),
            where + " prompt " + i);
      }
    }
    try (Session session = model.newSession()) {
      Generator.BatchResult batch =
          Generator.generateBatch(
              Steppers.hostStepper(model.manifest(), session),
              prompts,
              LlamaGenerationTest.NEW_TOKENS,
              TokenChooser.greedy(),
              Set.of(),
              0);
      assertEquals(expected, batch.tokens(), where + " left-padded batch");
    }
  }
}
