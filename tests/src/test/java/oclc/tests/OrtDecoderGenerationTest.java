package oclc.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.onnxruntime.OrtException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.LongStream;
import oclc.compiler.LoadedModel;
import oclc.compiler.generate.DecoderNames;
import oclc.compiler.generate.GenerationConfig;
import oclc.compiler.generate.Generator;
import oclc.compiler.generate.HostStepper;
import oclc.compiler.generate.Steppers;
import oclc.compiler.generate.TokenChooser;
import oclc.runtime.CompiledModel;
import oclc.runtime.Session;
import oclc.tests.support.JavaDevice;
import oclc.tests.support.OrtGreedyDecoder;
import oclc.tests.support.StackedKvDecoderModel;
import oclc.tests.support.TestDevice;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Generation on decoders in the form ONNX Runtime's tools write (int32 ids, position_ids and
 * attention_mask inputs, keys and values stacked in one {@code [2, batch, heads, past, head]}
 * state, the names a genai_config.json declares): the same greedy tokens on the reference, the
 * OpenCL device and the Java backend as a greedy loop over ONNX Runtime Java on the same file.
 */
class OrtDecoderGenerationTest {
  private static final int NEW_TOKENS = 8;

  @TempDir Path folder;

  @Test
  void aStackedStateDecoderNamedByItsGenaiConfigGivesOnnxRuntimesTokens()
      throws OrtException, IOException {
    Path model =
        StackedKvDecoderModel.write(
            folder.resolve("model.onnx"), "tokens", "kv_0", "kv_out_0", "scores");
    Files.writeString(
        folder.resolve("genai_config.json"),
        """
        {"model": {"eos_token_id": 10, "decoder": {
          "inputs": {"input_ids": "tokens", "past_names": "kv_%d"},
          "outputs": {"logits": "scores", "present_names": "kv_out_%d"}}}}
        """);
    DecoderNames names = DecoderNames.find(GenerationConfig.foldersOf(model));
    long[] prompt = {3, 1, 4};
    List<Long> byHand = new ArrayList<>(LongStream.of(prompt).boxed().toList());
    for (int i = 0; i < NEW_TOKENS; i++) {
      byHand.add(StackedKvDecoderModel.next(byHand));
    }
    List<Long> expected = byHand.subList(prompt.length, byHand.size());
    try (OrtGreedyDecoder ort =
        new OrtGreedyDecoder(model, "tokens", "scores", s -> s.replace("kv_", "kv_out_"))) {
      assertEquals(expected, ort.generate(prompt, NEW_TOKENS), "ONNX Runtime");
    }
    HostStepper reference = Steppers.reference(LoadedModel.load(model).simplified(), names);
    assertEquals(expected, greedy(reference, prompt), "reference");
    Map<String, String> ranges = Map.of("batch", "1..1", "sequence", "1..4", "past", "0..16");
    try (CompiledModel device = TestDevice.compile(model, folder.resolve("opencl.oclc"), ranges)) {
      assertEquals(expected, onSession(device, names, prompt), "OpenCL");
    }
    try (CompiledModel java =
        JavaDevice.compile(model, folder.resolve("java.oclc"), ranges, true)) {
      assertEquals(expected, onSession(java, names, prompt), "Java");
    }
  }

  private static List<Long> onSession(CompiledModel model, DecoderNames names, long[] prompt) {
    try (Session session = model.newSession()) {
      return greedy(Steppers.forSession(model.manifest(), session, names), prompt);
    }
  }

  private static List<Long> greedy(Generator.Stepper stepper, long[] prompt) {
    return Generator.generate(stepper, prompt, NEW_TOKENS, TokenChooser.greedy()).tokens();
  }
}
