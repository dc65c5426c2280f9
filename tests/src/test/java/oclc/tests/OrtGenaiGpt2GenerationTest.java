package oclc.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnxruntime.OrtException;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import oclc.cli.Main;
import oclc.compiler.LoadedModel;
import oclc.compiler.generate.DecoderNames;
import oclc.compiler.generate.GenerationConfig;
import oclc.compiler.generate.Generator;
import oclc.compiler.generate.Steppers;
import oclc.compiler.generate.TokenChooser;
import oclc.compiler.generate.tokenizer.Tokenizer;
import oclc.runtime.CompiledModel;
import oclc.runtime.Session;
import oclc.tests.support.JavaDevice;
import oclc.tests.support.OrtGreedyDecoder;
import oclc.tests.support.TestDevice;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The "done when" for ONNX Runtime's own files: greedy generation on the onnxruntime-genai
 * GPT-2 file (com.microsoft operators; int32 input_ids, position_ids and attention_mask; keys and
 * values stacked in {@code past_N [2, batch, 4, past_seq_len, 8]}; its genai_config.json and
 * GPT-2's tokenizer.json beside it) gives the tokens of a greedy loop over ONNX Runtime Java on the
 * same file, on the reference, the OpenCL device and the Java backend, through the generator's Java
 * API and through {@code oclc generate}; each step's logits within {@value #LOGITS_BOUND} relative
 * L2 of ONNX Runtime's. Compiled for bounded ranges, the fast backends keep the stacked past in a
 * KV cache appended in place.
 */
class OrtGenaiGpt2GenerationTest {
  private static final Path FOLDER = SharedData.models().resolve("ort-genai-gpt2-fp32");
  private static final Path MODEL = FOLDER.resolve("model.onnx");

  /** Its GPT-2 tokens all lie in the file's vocabulary of 1000 (it is tiny-random-gpt2). */
  private static final String PROMPT = "The world is a";

  private static final int NEW_TOKENS = 24;
  private static final double LOGITS_BOUND = 1e-4;
  private static final Map<String, String> RANGES =
      Map.of("batch_size", "1..1", "seq_len", "1..8", "past_seq_len", "0..32");
  private static final String IN_PLACE = "appended in place each step";

  @TempDir Path folder;

  @Test
  void theGeneratorGivesOnnxRuntimesTokensAndLogitsOnEveryBackend() throws OrtException {
    long[] prompt = promptIds();
    OrtGreedyDecoder.Run expected = onnxRuntime(prompt);
    DecoderNames names = DecoderNames.find(GenerationConfig.foldersOf(MODEL));
    check(
        "reference",
        expected,
        Steppers.reference(LoadedModel.load(MODEL).simplified(), names),
        prompt);
    try (CompiledModel device = TestDevice.compile(MODEL, folder.resolve("opencl.oclc"), RANGES)) {
      onSession("OpenCL", device, names, expected, prompt);
    }
    try (CompiledModel java =
        JavaDevice.compile(MODEL, folder.resolve("java.oclc"), RANGES, true)) {
      onSession("Java", java, names, expected, prompt);
    }
  }

  @Test
  void oclcGenerateGivesOnnxRuntimesTokensOnEveryBackend() throws OrtException {
    List<Long> expected = onnxRuntime(promptIds()).tokens();
    String cache = folder.resolve("cache").toString();
    for (String device : List.of("reference", "cpu", "java")) {
      if (device.equals("cpu")) {
        TestDevice.context(); // the OpenCL device: skips without one, as the other tests
      }
      String out = oclc("generate", MODEL.toString(), "--device", device, "--cache-dir", cache);
      assertEquals(expected, tokens(out), "oclc generate --device " + device + ": " + out);
      Path artifact = folder.resolve(device + ".oclc");
      if (!device.equals("reference")) {
        List<String> compile =
            new ArrayList<>(
                List.of(
                    "compile",
                    MODEL.toString(),
                    "--device",
                    device,
                    "--out",
                    artifact.toString(),
                    "--cache-dir",
                    cache));
        RANGES.forEach((name, range) -> compile.addAll(List.of("--dim", name + "=" + range)));
        oclc(compile.toArray(String[]::new));
        String cached = oclc("generate", artifact.toString(), "--cache-dir", cache);
        assertTrue(cached.contains(IN_PLACE), cached);
        assertEquals(expected, tokens(cached), "oclc generate on the " + device + " artifact");
      }
    }
  }

  private static long[] promptIds() {
    long[] ids =
        Tokenizer.load(FOLDER).encode(PROMPT).stream().mapToLong(Long::longValue).toArray();
    assertTrue(ids.length >= 3 && java.util.Arrays.stream(ids).allMatch(id -> id < 1000));
    return ids;
  }

  private static OrtGreedyDecoder.Run onnxRuntime(long[] prompt) throws OrtException {
    try (OrtGreedyDecoder ort =
        new OrtGreedyDecoder(MODEL, "input_ids", "logits", s -> s.replace("past", "present"))) {
      return ort.run(prompt, NEW_TOKENS);
    }
  }

  private static void onSession(
      String where,
      CompiledModel model,
      DecoderNames names,
      OrtGreedyDecoder.Run expected,
      long[] prompt) {
    try (Session session = model.newSession()) {
      Generator.Stepper stepper = Steppers.forSession(model.manifest(), session, names);
      assertTrue(stepper.mode().contains(IN_PLACE), where + ": " + stepper.mode());
      check(where, expected, stepper, prompt);
    }
  }

  /** The stepper's greedy tokens and each step's logits against ONNX Runtime's. */
  private static void check(
      String where, OrtGreedyDecoder.Run expected, Generator.Stepper stepper, long[] prompt) {
    List<float[]> logits = new ArrayList<>();
    Generator.Stepper recording =
        new Generator.Stepper() {
          @Override
          public float[] step(long[] newTokens) {
            float[] row = stepper.step(newTokens);
            logits.add(row.clone());
            return row;
          }

          @Override
          public String mode() {
            return stepper.mode();
          }
        };
    List<Long> tokens =
        Generator.generate(recording, prompt, NEW_TOKENS, TokenChooser.greedy()).tokens();
    assertEquals(expected.tokens(), tokens, where);
    for (int step = 0; step < NEW_TOKENS; step++) {
      double error = relativeL2(expected.logits().get(step), logits.get(step));
      assertTrue(error <= LOGITS_BOUND, where + " step " + step + ": relative L2 " + error);
    }
  }

  private static double relativeL2(float[] expected, float[] actual) {
    assertEquals(expected.length, actual.length);
    double difference = 0;
    double norm = 0;
    for (int i = 0; i < expected.length; i++) {
      difference += Math.pow(actual[i] - (double) expected[i], 2);
      norm += Math.pow(expected[i], 2);
    }
    return Math.sqrt(difference / norm);
  }

  /** {@code oclc ARGS} with the prompt, the tokenizer and the new tokens: its standard output. */
  private static String oclc(String... args) {
    List<String> all = new ArrayList<>(List.of(args));
    if (args[0].equals("generate")) {
      all.addAll(
          List.of(
              "--tokenizer",
              FOLDER.toString(),
              "--prompt",
              PROMPT,
              "--max-new-tokens",
              String.valueOf(NEW_TOKENS),
              "--ignore-eos"));
    }
    PrintStream savedOut = System.out;
    PrintStream savedErr = System.err;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code;
    try {
      System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
      System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
      code = Main.execute(all.toArray(String[]::new));
    } finally {
      System.setOut(savedOut);
      System.setErr(savedErr);
    }
    String printed = out.toString(StandardCharsets.UTF_8);
    assertEquals(0, code, "oclc " + all + ": " + printed + err.toString(StandardCharsets.UTF_8));
    return printed;
  }

  private static List<Long> tokens(String out) {
    Matcher m = Pattern.compile("(?m)^tokens: ([0-9,]+)$").matcher(out);
    assertTrue(m.find(), out);
    return java.util.Arrays.stream(m.group(1).split(",")).map(Long::valueOf).toList();
  }
}
