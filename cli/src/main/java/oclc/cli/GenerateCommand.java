package oclc.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.Callable;
import oclc.artifact.Artifact;
import oclc.compiler.DeviceModel;
import oclc.compiler.LoadedModel;
import oclc.compiler.generate.Generator;
import oclc.compiler.generate.Gpt2Tokenizer;
import oclc.compiler.generate.HostStepper;
import oclc.compiler.generate.Steppers;
import oclc.compiler.generate.TokenChooser;
import oclc.ir.OclcException;
import oclc.ir.ValueInfo;
import oclc.ir.exec.ReferenceExecutor;
import oclc.runtime.Session;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code oclc generate}: tokens from a prompt, greedy or sampled, with the KV cache where the graph
 * has one.
 */
@Command(
    name = "generate",
    mixinStandardHelpOptions = true,
    description = "Generate tokens: prefill the prompt, then decode one token per step.")
final class GenerateCommand implements Callable<Integer> {
  @Parameters(
      index = "0",
      paramLabel = "MODEL",
      description = "an .onnx file or an artifact folder X.oclc")
  Path model;

  @Mixin DeviceOption device;

  @Option(
      names = "--prompt-ids",
      split = ",",
      paramLabel = "ID,ID,...",
      description = "the prompt as token ids")
  long[] promptIds;

  @Option(
      names = "--prompt",
      paramLabel = "TEXT",
      description = "the prompt as text (needs --tokenizer)")
  String prompt;

  @Option(
      names = "--tokenizer",
      paramLabel = "DIR",
      description = "a GPT-2 BPE tokenizer: DIR/vocab.json and DIR/merges.txt")
  Path tokenizer;

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

  @Option(names = "--seed", defaultValue = "0", description = "the sampling seed")
  long seed;

  @Mixin CacheCommand.Location cacheLocation;

  @Mixin FusionOption fusion;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws IOException {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    Gpt2Tokenizer bpe = tokenizer == null ? null : Gpt2Tokenizer.load(tokenizer);
    long[] ids = promptIds(bpe);
    TokenChooser chooser = new TokenChooser(temperature, topK, seed);
    boolean artifact = Artifact.isArtifact(model);
    String deviceSpec = device.orDefault(model);
    Generator.Result result;
    if (deviceSpec.equals("reference")) {
      if (artifact) {
        throw new OclcException(
            model
                + " is a compiled artifact, which runs on the device it was compiled for; "
                + "give --device cpu, gpu or java");
      }
      var graph = LoadedModel.load(model).simplified();
      HostStepper stepper =
          new HostStepper(
              inputs -> new ReferenceExecutor().run(graph, inputs),
              graph.inputs(),
              graph.outputs().stream().map(ValueInfo::name).toList());
      result = Generator.generate(stepper, ids, maxNewTokens, chooser);
    } else {
      try (DeviceModel loaded =
              DeviceModel.open(model, deviceSpec, cacheLocation.cache(), err, fusion.fuse);
          Session session = loaded.executable().newSession()) {
        result =
            Generator.generate(
                Steppers.forSession(loaded.executable().manifest(), session),
                ids,
                maxNewTokens,
                chooser);
      }
    }
    out.println("mode: " + result.mode());
    out.println(
        "tokens: " + String.join(",", result.tokens().stream().map(String::valueOf).toList()));
    if (bpe != null) {
      out.println("text: " + bpe.decode(result.tokens()));
    }
    out.printf(
        "prefill: %.1f ms (%d tokens), decode: %.2f ms/token%n",
        result.prefillMillis(), ids.length, result.decodeMillisPerToken());
    out.flush();
    return 0;
  }

  private long[] promptIds(Gpt2Tokenizer bpe) {
    if ((promptIds == null) == (prompt == null)) {
      throw new OclcException(
          "give the prompt once: --prompt-ids ID,ID,... or --prompt TEXT (with --tokenizer DIR)");
    }
    if (prompt != null) {
      if (bpe == null) {
        throw new OclcException(
            "--prompt TEXT needs --tokenizer DIR (with vocab.json and merges.txt)");
      }
      return bpe.encode(prompt).stream().mapToLong(Long::longValue).toArray();
    }
    return Arrays.copyOf(promptIds, promptIds.length);
  }
}
