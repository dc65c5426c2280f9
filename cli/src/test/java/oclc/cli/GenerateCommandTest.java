package oclc.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import oclc.cli.support.Bpe;
import oclc.cli.support.Oclc;
import oclc.cli.support.Oclc.Result;
import oclc.cli.support.TestDevice;
import oclc.compiler.generate.tokenizer.Tokenizer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code oclc generate} as a user meets it: token ids in and out, text with a tokenizer, the graph
 * kinds.
 */
class GenerateCommandTest {
  private static final Path EXAMPLE = Path.of("..", "examples", "gpt2-tiny-past");
  @TempDir Path folder;

  private static List<String> tokens(String out) {
    Matcher m = Pattern.compile("(?m)^tokens: ([0-9,]+)$").matcher(out);
    assertTrue(m.find(), out);
    return List.of(m.group(1).split(","));
  }

  @Test
  void anArtifactGeneratesWithItsKvCacheOnTheDeviceAsTheReferenceDoes() {
    TestDevice.context();
    Path artifact = folder.resolve("gpt2.oclc");
    Result compiled =
        Oclc.run(
            "compile",
            EXAMPLE.resolve("model.onnx").toString(),
            "--device",
            "cpu",
            "--out",
            artifact.toString(),
            "--dim",
            "batch_size=1..1",
            "--cache-dir",
            folder.resolve("cache").toString());
    assertEquals(0, compiled.exitCode(), compiled.err());
    String[] sampling = {
      "--prompt-ids",
      "464,329,318",
      "--max-new-tokens",
      "12",
      "--temperature",
      "0.9",
      "--top-k",
      "30",
      "--seed",
      "4"
    };
    List<String> device =
        new ArrayList<>(
            List.of(
                "generate",
                artifact.toString(),
                "--cache-dir",
                folder.resolve("cache").toString()));
    device.addAll(List.of(sampling));
    Result onDevice = Oclc.run(device.toArray(String[]::new));
    assertEquals(0, onDevice.exitCode(), onDevice.err());
    assertTrue(onDevice.out().contains("mode: KV cache on the device"), onDevice.out());
    assertTrue(
        onDevice
            .out()
            .matches("(?s).*prefill: [0-9.]+ ms \\(3 tokens\\), decode: [0-9.]+ ms/token.*"),
        onDevice.out());
    List<String> reference =
        new ArrayList<>(
            List.of("generate", EXAMPLE.resolve("model.onnx").toString(), "--device", "reference"));
    reference.addAll(List.of(sampling));
    Result onReference = Oclc.run(reference.toArray(String[]::new));
    assertEquals(12, tokens(onDevice.out()).size());
    assertEquals(tokens(onReference.out()), tokens(onDevice.out()));
  }

  @Test
  void aPrefillOnlyGraphRunsTheGrowingSequenceAndSaysSo() {
    Result r =
        Oclc.run(
            "generate",
            SharedData.models().resolve("gpt2-tiny-nopast-opset16").toString(),
            "--prompt-ids",
            "5,6,7",
            "--max-new-tokens",
            "4");
    assertEquals(0, r.exitCode(), r.err());
    assertTrue(r.out().contains("the whole sequence runs again at every step"), r.out());
    assertEquals(4, tokens(r.out()).size());
  }

  @Test
  void aTokenizerTurnsTheTextPromptIntoIdsAndTheTokensIntoText() throws IOException {
    // A 500-piece vocabulary, as large as the example's: the 256 bytes, then merges of letter
    // pairs.
    List<String> merges = new ArrayList<>(Bpe.MERGES);
    for (char a = 'a'; merges.size() < 500 - 256; a++) {
      for (char b = 'a'; b <= 'z' && merges.size() < 500 - 256; b++) {
        if (!merges.contains(a + " " + b)) {
          merges.add(a + " " + b);
        }
      }
    }
    Path dir = Files.createDirectories(folder.resolve("tokenizer"));
    new ObjectMapper().writeValue(dir.resolve("vocab.json").toFile(), Bpe.vocabulary(merges));
    Files.write(dir.resolve("merges.txt"), merges);
    Result r =
        Oclc.run(
            "generate",
            EXAMPLE.toString(),
            "--tokenizer",
            dir.toString(),
            "--prompt",
            "hello world",
            "--max-new-tokens",
            "5");
    assertEquals(0, r.exitCode(), r.err());
    assertTrue(
        r.out().contains("prefill: ") && r.out().contains("(2 tokens)"),
        "hello + ' world': " + r.out());
    assertTrue(r.out().contains("\ntext: "), r.out());
    Result noTokenizer = Oclc.run("generate", EXAMPLE.toString(), "--prompt", "hello");
    assertEquals(2, noTokenizer.exitCode());
    assertTrue(
        noTokenizer.err().contains("--prompt TEXT needs --tokenizer DIR"), noTokenizer.err());
  }

  /** The tokens and the streamed text of a generate run on the reference, sampled. */
  private record Generated(List<Long> tokens, String text, String out) {}

  private static Generated generate(String... more) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "--device",
                "reference",
                "--max-new-tokens",
                "12",
                "--temperature",
                "1.5",
                "--seed",
                "3"));
    args.addAll(List.of(more));
    args.add(0, "generate");
    Result r = Oclc.run(args.toArray(String[]::new));
    assertEquals(0, r.exitCode(), r.err());
    Matcher text = Pattern.compile("(?s)\ntext: (.*)\ntokens: ").matcher(r.out());
    return new Generated(
        tokens(r.out()).stream().map(Long::valueOf).toList(),
        text.find() ? text.group(1) : null,
        r.out());
  }

  @Test
  void theTextPrintedAsItIsGeneratedIsTheTokensDecoded() {
    Path tokenizer = SharedData.models().resolve("ort-genai-gpt2-fp32");
    // "a b c": 64, 275, 269, within the example's 500-token vocabulary
    Generated g =
        generate(
            EXAMPLE.resolve("model.onnx").toString(),
            "--tokenizer",
            tokenizer.toString(),
            "--prompt",
            "a b c");
    assertTrue(g.out().contains("(3 tokens)"), g.out());
    assertEquals(12, g.tokens().size());
    assertEquals(Tokenizer.load(tokenizer).decode(g.tokens()), g.text());
  }

  @Test
  void generationStopsAtTheEndOfSequenceThatAConfigBesideTheModelDeclares() throws IOException {
    Path model = Files.copy(EXAMPLE.resolve("model.onnx"), folder.resolve("model.onnx"));
    Generated all = generate(model.toString(), "--prompt-ids", "464,329,318");
    assertTrue(all.out().contains("end of sequence: none declared"), all.out());
    // the first token that did not come before: generation must end right after it
    int stop = 1;
    while (all.tokens().subList(0, stop).contains(all.tokens().get(stop))) {
      stop++;
    }
    long endOfSequence = all.tokens().get(stop);
    Files.writeString(
        folder.resolve("generation_config.json"),
        "{\"eos_token_id\": [" + endOfSequence + ", 99999], \"pad_token_id\": 0}");
    Generated stopped = generate(model.toString(), "--prompt-ids", "464,329,318");
    assertEquals(all.tokens().subList(0, stop + 1), stopped.tokens());
    assertTrue(
        stopped.out().contains("end of sequence: " + endOfSequence + ", 99999 (from "),
        stopped.out());
    assertTrue(
        stopped.out().contains("stopped at the end of sequence (" + endOfSequence + ") after "),
        stopped.out());
    Generated ignored = generate(model.toString(), "--prompt-ids", "464,329,318", "--ignore-eos");
    assertEquals(all.tokens(), ignored.tokens());
    assertTrue(ignored.out().contains(", ignored (--ignore-eos)"), ignored.out());
    // genai_config.json, ONNX Runtime GenAI's, comes first
    Files.writeString(
        folder.resolve("genai_config.json"),
        "{\"model\": {\"eos_token_id\": " + all.tokens().getFirst() + "}}");
    assertEquals(
        List.of(all.tokens().getFirst()),
        generate(model.toString(), "--prompt-ids", "464,329,318").tokens());
  }

  @Test
  void severalPromptsGenerateAsOneLeftPaddedBatchEachRowAsItsPromptAlone() {
    String llama = SharedData.models().resolve("llama-tiny-past-opset14").toString();
    String[] greedy = {"--device", "reference", "--max-new-tokens", "5"};
    List<String> batch = new ArrayList<>(List.of("generate", llama));
    batch.addAll(List.of(greedy));
    batch.addAll(List.of("--prompt-ids", "5,6,7,8,9", "--prompt-ids", "11,12"));
    Result both = Oclc.run(batch.toArray(String[]::new));
    assertEquals(0, both.exitCode(), both.err());
    assertTrue(both.out().contains("2 prompts left-padded"), both.out());
    for (String[] row : new String[][] {{"0", "5,6,7,8,9"}, {"1", "11,12"}}) {
      List<String> alone = new ArrayList<>(List.of("generate", llama));
      alone.addAll(List.of(greedy));
      alone.addAll(List.of("--prompt-ids", row[1]));
      Result r = Oclc.run(alone.toArray(String[]::new));
      assertEquals(0, r.exitCode(), r.err());
      Matcher m = Pattern.compile("(?m)^tokens " + row[0] + ": ([0-9,]+)$").matcher(both.out());
      assertTrue(m.find(), both.out());
      assertEquals(tokens(r.out()), List.of(m.group(1).split(",")), "row " + row[0]);
    }
  }

  @Test
  void aTokenOutsideTheVocabularyIsAClearError() {
    TestDevice.context();
    Result r =
        Oclc.run(
            "generate",
            EXAMPLE.toString(),
            "--device",
            "cpu",
            "--prompt-ids",
            "5,600",
            "--max-new-tokens",
            "2",
            "--cache-dir",
            folder.resolve("cache").toString());
    assertEquals(2, r.exitCode(), r.out());
    assertTrue(
        r.err().contains("token id 600 is outside the model's vocabulary of 500 tokens")
            || r.err().contains("input 'input_ids' holds 600")
                && r.err().contains("the 500 rows of 'wte.weight'"),
        r.err());
  }
}
