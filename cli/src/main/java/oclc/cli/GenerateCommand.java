package oclc.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.LongPredicate;
import oclc.compiler.DeviceChoice;
import oclc.compiler.DeviceModel;
import oclc.compiler.LoadedModel;
import oclc.compiler.generate.DecoderNames;
import oclc.compiler.generate.GenerationConfig;
import oclc.compiler.generate.Generator;
import oclc.compiler.generate.HostStepper;
import oclc.compiler.generate.Sampling;
import oclc.compiler.generate.Steppers;
import oclc.compiler.generate.StopStrings;
import oclc.compiler.generate.TokenChooser;
import oclc.compiler.generate.tokenizer.TextStream;
import oclc.compiler.generate.tokenizer.Tokenizer;
import oclc.ir.OclcException;
import oclc.runtime.Session;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code oclc generate}: tokens from a prompt, greedy or sampled, with the KV cache where the graph
 * has one, until the end-of-sequence id that the model's folder declares; with a tokenizer the text
 * is printed as it is generated.
 */
@Command(
    name = "generate",
    description = "Generate tokens: prefill the prompt, then decode one token per step.")
final class GenerateCommand extends PrintingCommand {
  @Mixin ModelParameter.OnnxOrArtifact model;

  @Mixin DeviceOption device;

  @Mixin DeviceModelOptions loading;

  @Mixin WeightsOption weights;

  @Option(
      names = "--prompt-ids",
      paramLabel = "ID,ID,...",
      description =
          "the prompt as token ids; repeated, several prompts at once (left-padded, masked)")
  List<String> promptIds;

  @Option(
      names = "--prompt",
      paramLabel = "TEXT",
      description = "the prompt as text (needs --tokenizer); repeated, several at once")
  List<String> prompt;

  @Mixin TokenizerOption tokenizer;

  @Option(
      names = "--ignore-eos",
      description =
          "generate every token asked for, past the end-of-sequence id of genai_config.json,"
              + " generation_config.json or config.json beside the model")
  boolean ignoreEndOfSequence;

  @Option(
      names = "--max-new-tokens",
      defaultValue = "16",
      description = "how many tokens to generate (default 16)")
  int maxNewTokens;

  @Option(
      names = "--temperature",
      defaultValue = "0",
      description = "0 (default) is greedy; above 0 samples")
  double temperature;

  @Option(
      names = "--top-k",
      defaultValue = "0",
      description = "sample among the k most likely tokens (0: all)")
  int topK;

  @Option(
      names = "--top-p",
      defaultValue = "1",
      description = "sample among the fewest tokens whose probability reaches p (1: all)")
  double topP;

  @Option(
      names = "--repetition-penalty",
      defaultValue = "1",
      description = "above 1 makes tokens of the prompt and output less likely (1: none)")
  double repetitionPenalty;

  @Option(
      names = "--stop",
      paramLabel = "TEXT",
      description = "end the text where this string begins (needs --tokenizer); repeatable")
  List<String> stop;

  @Option(names = "--seed", defaultValue = "0", description = "the sampling seed")
  long seed;

  private StopStrings stops = StopStrings.none();

  @Override
  int run(PrintWriter out, PrintWriter err) throws IOException {
    Tokenizer bpe = tokenizer.loadOrNull();
    List<long[]> prompts = prompts(bpe);
    TokenChooser chooser;
    try {
      chooser = new TokenChooser(new Sampling(temperature, topK, topP, repetitionPenalty, seed));
    } catch (IllegalArgumentException e) {
      throw new OclcException(e.getMessage());
    }
    StopStrings stops = new StopStrings(stop == null ? List.of() : stop);
    if (!stops.strings().isEmpty() && bpe == null) {
      throw new OclcException("--stop TEXT needs --tokenizer DIR to decode the text it looks for");
    }
    if (prompts.size() > 1 && (repetitionPenalty != 1 || !stops.strings().isEmpty())) {
      throw new OclcException(
          "--repetition-penalty and --stop follow one sequence: give one prompt with them");
    }
    this.stops = stops;
    chooser.remember(prompts.getFirst());
    GenerationConfig config = GenerationConfig.find(GenerationConfig.foldersOf(model.path));
    DecoderNames names = DecoderNames.find(GenerationConfig.foldersOf(model.path));
    Set<Long> stopIds = ignoreEndOfSequence ? Set.of() : new HashSet<>(config.endOfSequence());
    String deviceSpec = device.toRun(model.path);
    if (deviceSpec.equals(DeviceChoice.REFERENCE)) {
      HostStepper stepper =
          Steppers.reference(
              LoadedModel.load(model.path, weights.rewrite(model.path, err)).simplified(), names);
      if (prompts.size() == 1) {
        report(out, stepper, config, bpe, prompts.getFirst(), chooser, stopIds);
      } else {
        reportBatch(out, stepper, config, bpe, prompts, chooser, stopIds);
      }
    } else {
      try (DeviceModel loaded = loading.open(model.path, deviceSpec, err, weights);
          Session session = loaded.executable().newSession()) {
        var manifest = loaded.executable().manifest();
        loaded.executable().paramsCheck().await(); // no token from damaged weights
        if (prompts.size() == 1) {
          report(
              out,
              Steppers.forSession(manifest, session, names),
              config,
              bpe,
              prompts.getFirst(),
              chooser,
              stopIds);
        } else {
          reportBatch(
              out,
              Steppers.hostStepper(manifest, session, names),
              config,
              bpe,
              prompts,
              chooser,
              stopIds);
        }
      }
    }
    return 0;
  }

  /** Several prompts in one batch: each row's tokens (and text) once all are done. */
  private void reportBatch(
      PrintWriter out,
      HostStepper stepper,
      GenerationConfig config,
      Tokenizer bpe,
      List<long[]> prompts,
      TokenChooser chooser,
      Set<Long> stopIds) {
    out.println("mode: " + stepper.mode() + ", " + prompts.size() + " prompts left-padded");
    out.println(
        config.describe()
            + (ignoreEndOfSequence && config.source().isPresent()
                ? ", ignored (--ignore-eos)"
                : ""));
    long padId = config.padding().or(() -> config.endOfSequence().stream().findFirst()).orElse(0L);
    Generator.BatchResult result =
        Generator.generateBatch(stepper, prompts, maxNewTokens, chooser, stopIds, padId);
    for (int row = 0; row < prompts.size(); row++) {
      List<Long> tokens = result.tokens().get(row);
      out.println(
          "tokens " + row + ": " + String.join(",", tokens.stream().map(String::valueOf).toList()));
      if (bpe != null) {
        out.println(
            "text "
                + row
                + ": "
                + bpe.decode(tokens.stream().filter(t -> !stopIds.contains(t)).toList()));
      }
    }
    out.printf(
        "prefill: %.1f ms (%d prompts, padded to %d tokens), decode: %.2f ms/step%n",
        result.prefillMillis(),
        prompts.size(),
        prompts.stream().mapToInt(p -> p.length).max().orElse(0),
        result.decodeMillisPerStep());
    out.flush();
  }

  /** Generates, printing the text as it comes (with a tokenizer), then the ids and the times. */
  private void report(
      PrintWriter out,
      Generator.Stepper stepper,
      GenerationConfig config,
      Tokenizer bpe,
      long[] ids,
      TokenChooser chooser,
      Set<Long> stopIds) {
    out.println("mode: " + stepper.mode());
    out.println(
        config.describe()
            + (ignoreEndOfSequence && config.source().isPresent()
                ? ", ignored (--ignore-eos)"
                : ""));
    LongPredicate onToken = token -> true;
    TextStream text = bpe == null ? null : bpe.stream();
    boolean[] started = {false};
    StringBuilder whole = new StringBuilder();
    int[] printed = {0};
    boolean[] stopped = {false};
    if (text != null) {
      onToken =
          token -> {
            if (!started[0]) {
              out.print("text: "); // once the prompt has run: an error before it stays alone
              started[0] = true;
            }
            if (!stopIds.contains(token)) {
              whole.append(text.add(token));
            }
            int cut = stops.cut(whole.toString());
            stopped[0] = cut >= 0;
            // held back: what a stop string the next tokens complete would take away
            int end = stopped[0] ? cut : whole.length() - stops.pendingSuffix(whole.toString());
            if (end > printed[0]) {
              out.print(whole.substring(printed[0], end));
              printed[0] = end;
            }
            out.flush();
            return !stopped[0];
          };
    }
    Generator.Result result =
        Generator.generateWhile(stepper, ids, maxNewTokens, chooser, stopIds, onToken);
    if (text != null) {
      String rest = stopped[0] ? "" : whole.substring(printed[0]) + text.finish();
      out.println((started[0] ? "" : "text: ") + rest);
    }
    if (stopped[0]) {
      out.println("stopped at a stop string after " + result.tokens().size() + " tokens");
    }
    out.println(
        "tokens: " + String.join(",", result.tokens().stream().map(String::valueOf).toList()));
    if (result.endOfSequence()) {
      out.println(
          "stopped at the end of sequence ("
              + result.tokens().getLast()
              + ") after "
              + result.tokens().size()
              + " of "
              + maxNewTokens
              + " tokens");
    }
    out.printf(
        "prefill: %.1f ms (%d tokens), decode: %.2f ms/token%n",
        result.prefillMillis(), ids.length, result.decodeMillisPerToken());
    out.flush();
  }

  private List<long[]> prompts(Tokenizer bpe) {
    if ((promptIds == null) == (prompt == null)) {
      throw new OclcException(
          "give the prompts one way: --prompt-ids ID,ID,... or --prompt TEXT (with --tokenizer"
              + " DIR), each repeated for several");
    }
    if (prompt != null) {
      if (bpe == null) {
        throw new OclcException(
            "--prompt TEXT needs --tokenizer DIR (with tokenizer.json, or vocab.json and merges.txt)");
      }
      return prompt.stream()
          .map(text -> bpe.encode(text).stream().mapToLong(Long::longValue).toArray())
          .toList();
    }
    List<long[]> prompts = new ArrayList<>();
    for (String ids : promptIds) {
      try {
        prompts.add(
            Arrays.stream(ids.split(",")).map(String::strip).mapToLong(Long::parseLong).toArray());
      } catch (NumberFormatException e) {
        throw new OclcException("--prompt-ids " + ids + ": not comma-separated token ids");
      }
    }
    return prompts;
  }
}
