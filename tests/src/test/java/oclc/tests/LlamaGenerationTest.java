package oclc.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.LongStream;
import oclc.compiler.LoadedModel;
import oclc.compiler.generate.Generator;
import oclc.compiler.generate.HostStepper;
import oclc.compiler.generate.Steppers;
import oclc.compiler.generate.TokenChooser;
import oclc.ir.Graph;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Generation on the Llama exports in Optimum's layout (input_ids, attention_mask, position_ids,
 * past_key_values.N.key/.value → present.N.*), on the reference backend, against ONNX Runtime Java
 * recomputing every step from scratch: the whole sequence so far, no past, an all-ones mask and
 * positions from 0. Greedy tokens agree only if the conventions are right: the state handed from
 * step to step, the mask's length, the position ids, and for a left-padded batch the padding's mask
 * and positions (each row must give what its prompt alone gives). Prompts are drawn fresh.
 */
class LlamaGenerationTest {
  static final int NEW_TOKENS = 6;

  /** Greedy tokens from ONNX Runtime, each step the whole sequence run from position 0. */
  static List<Long> recomputed(OrtEnvironment env, OrtSession session, long[] prompt)
      throws OrtException {
    List<Long> sequence = new ArrayList<>(LongStream.of(prompt).boxed().toList());
    List<Long> generated = new ArrayList<>();
    for (int step = 0; step < NEW_TOKENS; step++) {
      int n = sequence.size();
      long[] shape = {1, n};
      Map<String, OnnxTensor> inputs = new LinkedHashMap<>();
      inputs.put(
          "input_ids",
          OnnxTensor.createTensor(
              env, LongBuffer.wrap(sequence.stream().mapToLong(Long::longValue).toArray()), shape));
      inputs.put(
          "attention_mask",
          OnnxTensor.createTensor(
              env, LongBuffer.wrap(LongStream.generate(() -> 1).limit(n).toArray()), shape));
      inputs.put(
          "position_ids",
          OnnxTensor.createTensor(env, LongBuffer.wrap(LongStream.range(0, n).toArray()), shape));
      for (var entry : session.getInputInfo().entrySet()) {
        if (entry.getKey().startsWith("past_key_values")) {
          long[] pastShape =
              ((ai.onnxruntime.TensorInfo) entry.getValue().getInfo()).getShape().clone();
          pastShape[0] = 1;
          pastShape[2] = 0;
          inputs.put(
              entry.getKey(), OnnxTensor.createTensor(env, FloatBuffer.allocate(0), pastShape));
        }
      }
      try (OrtSession.Result result = session.run(inputs)) {
        float[][][] logits = (float[][][]) result.get("logits").orElseThrow().getValue();
        float[] last = logits[0][n - 1];
        int best = 0;
        for (int i = 1; i < last.length; i++) {
          if (last[i] > last[best]) {
            best = i;
          }
        }
        generated.add((long) best);
        sequence.add((long) best);
      } finally {
        inputs.values().forEach(OnnxTensor::close);
      }
    }
    return generated;
  }

  @ParameterizedTest
  @ValueSource(strings = {"llama-tiny-past-opset14", "llama-tiny-nopast-opset17"})
  void referenceGenerationGivesOnnxRuntimesTokensSingleAndLeftPadded(String modelName)
      throws OrtException {
    Path modelFile = SharedData.models().resolve(modelName).resolve("model.onnx");
    Graph graph = LoadedModel.load(modelFile).simplified();
    long seed = System.nanoTime();
    Random random = new Random(seed);
    List<long[]> prompts = new ArrayList<>();
    for (int i = 0; i < 3; i++) { // lengths 1-3, 4-6, 7-9: every row but the longest is padded
      prompts.add(random.longs(1 + 3 * i + random.nextInt(3), 0, 512).toArray());
    }
    java.util.Collections.shuffle(prompts, random);
    String where = modelName + " (seed " + seed + ")";
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
      options.setIntraOpNumThreads(1);
      try (OrtSession session = env.createSession(modelFile.toString(), options)) {
        List<List<Long>> expected = new ArrayList<>();
        for (long[] prompt : prompts) {
          expected.add(recomputed(env, session, prompt));
        }
        for (int i = 0; i < prompts.size(); i++) {
          HostStepper single = Steppers.reference(graph);
          assertEquals(
              expected.get(i),
              Generator.generate(single, prompts.get(i), NEW_TOKENS, TokenChooser.greedy())
                  .tokens(),
              where + " prompt " + i);
        }
        Generator.BatchResult batch =
            Generator.generateBatch(
                Steppers.reference(graph), prompts, NEW_TOKENS, TokenChooser.greedy(), Set.of(), 0);
        assertEquals(expected, batch.tokens(), where + " left-padded batch");
      }
    }
  }
}
