package oclc.cli;

import java.io.PrintWriter;
import java.util.HashSet;
import java.util.concurrent.CountDownLatch;
import oclc.compiler.DeviceModel;
import oclc.compiler.generate.GenerationConfig;
import oclc.compiler.generate.tokenizer.Tokenizer;
import oclc.compiler.serve.CompletionServer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code oclc serve}: the model behind an OpenAI-style completions endpoint, until stopped. */
@Command(
    name = "serve",
    description =
        "Serve /v1/completions, /v1/models and /metrics over HTTP; parallel requests decode in"
            + " one batch.")
final class ServeCommand extends PrintingCommand {
  @Mixin ModelParameter.OnnxOrArtifact model;

  @Mixin DeviceOption device;

  @Mixin DeviceModelOptions loading;

  @Mixin WeightsOption weights;

  @Mixin TokenizerOption tokenizer;

  @Option(names = "--port", defaultValue = "8080", description = "the port (0: a free one)")
  int port;

  @Option(names = "--host", defaultValue = "127.0.0.1", description = "the address to listen on")
  String host;

  @Option(
      names = "--max-batch",
      defaultValue = "8",
      description = "rows per batched step, within the artifact's batch range (default 8)")
  int maxBatch;

  @Option(
      names = "--queue",
      defaultValue = "64",
      description = "requests that may wait; beyond, 429 (default 64)")
  int queue;

  @Override
  int run(PrintWriter out, PrintWriter err) throws Exception {
    Tokenizer bpe = tokenizer.loadOrNull();
    GenerationConfig config = GenerationConfig.find(GenerationConfig.foldersOf(model.path));
    long padId = config.padding().or(() -> config.endOfSequence().stream().findFirst()).orElse(0L);
    try (DeviceModel loaded = loading.open(model.path, device.orDefault(model.path), err, weights);
        CompletionServer server =
            new CompletionServer(
                loaded.executable(),
                model.path.getFileName().toString(),
                bpe,
                new HashSet<>(config.endOfSequence()),
                padId,
                host,
                port,
                maxBatch,
                queue)) {
      out.println(
          "serving "
              + model.path
              + " on "
              + loaded.deviceName()
              + " at http://"
              + host
              + ":"
              + server.port()
              + "/v1/completions (batches of up to "
              + server.maxBatch()
              + ")");
      out.flush();
      new CountDownLatch(1).await(); // until the process is stopped
    }
    return 0;
  }
}
