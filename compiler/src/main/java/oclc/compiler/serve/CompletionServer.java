package oclc.compiler.serve;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import oclc.compiler.generate.TokenChooser;
import oclc.compiler.generate.tokenizer.Tokenizer;
import oclc.runtime.CompiledModel;

/**
 * The HTTP side of {@code oclc serve}: {@code GET /v1/models}, {@code POST /v1/completions} (JSON
 * or Server-Sent Events, one event per token) and {@code GET /metrics}. Every failure a client can
 * cause ends in a 4xx for that client alone: bodies are read up to {@link #MAX_BODY} bytes, JSON
 * errors are 400s, a write to a client that left cancels its request's row.
 */
public final class CompletionServer implements AutoCloseable {
  /** The largest body read; a larger one gets a 413. */
  public static final int MAX_BODY = 1 << 20;

  private static final ObjectMapper JSON = new ObjectMapper();
  private final HttpServer server;
  private final BatchDecoder decoder;
  private final Thread decoding;
  private final ExecutorService handlers;
  private final Tokenizer tokenizer;
  private final String modelName;
  private final long vocabulary;

  /**
   * Serves {@code model} on {@code port} of {@code host} (0: a free port); {@code tokenizer} may be
   * null (prompts as token ids only).
   */
  public CompletionServer(
      CompiledModel model,
      String modelName,
      Tokenizer tokenizer,
      Set<Long> stopIds,
      long padId,
      String host,
      int port,
      int maxBatch,
      int queueCapacity)
      throws IOException {
    this.tokenizer = tokenizer;
    this.modelName = modelName;
    List<oclc.ir.Dim> logits = model.manifest().outputs().getFirst().shape();
    this.vocabulary = logits.getLast().isConstant() ? logits.getLast().constant() : Long.MAX_VALUE;
    this.decoder = new BatchDecoder(model, stopIds, padId, maxBatch, queueCapacity);
    this.server = HttpServer.create(new InetSocketAddress(host, port), 64);
    // a thread per connection being answered: a slow reader holds its own thread, not the decoder
    this.handlers = Executors.newVirtualThreadPerTaskExecutor();
    server.setExecutor(handlers);
    server.createContext("/v1/models", this::models);
    server.createContext("/v1/completions", this::completions);
    server.createContext("/metrics", this::metrics);
    server.createContext("/", e -> reply(e, 404, error("no such path: " + e.getRequestURI())));
    this.decoding = Thread.ofPlatform().name("oclc-decoder").daemon().start(decoder);
    server.start();
  }

  public int port() {
    return server.getAddress().getPort();
  }

  /** The rows one batch may hold: --max-batch within the artifact's batch range. */
  public int maxBatch() {
    return decoder.limits().batch();
  }

  private void models(HttpExchange e) throws IOException {
    if (!e.getRequestMethod().equals("GET")) {
      reply(e, 405, error("GET /v1/models"));
      return;
    }
    Map<String, Object> model = new LinkedHashMap<>();
    model.put("id", modelName);
    model.put("object", "model");
    model.put("owned_by", "oclc");
    model.put("max_batch", decoder.limits().batch());
    model.put("max_prompt_tokens", decoder.limits().sequence());
    model.put("max_context", decoder.limits().context());
    reply(e, 200, Map.of("object", "list", "data", List.of(model)));
  }

  private void metrics(HttpExchange e) throws IOException {
    byte[] body = decoder.metrics.text().getBytes(StandardCharsets.UTF_8);
    e.getResponseHeaders().set("Content-Type", "text/plain; version=0.0.4");
    e.sendResponseHeaders(200, body.length);
    try (OutputStream out = e.getResponseBody()) {
      out.write(body);
    }
  }

  private void completions(HttpExchange e) throws IOException {
    try {
      if (!e.getRequestMethod().equals("POST")) {
        throw new BadRequest(405, "POST a JSON body to /v1/completions");
      }
      CompletionRequest request = CompletionRequest.parse(readJson(e));
      long[] prompt = promptIds(request);
      Completion completion =
          new Completion(
              prompt,
              request.maxTokens(),
              new TokenChooser(request.sampling()),
              request.stops(),
              tokenizer == null ? null : tokenizer.stream());
      decoder.submit(completion);
      decoder.metrics.requests.incrementAndGet();
      if (request.stream()) {
        stream(e, completion);
      } else {
        whole(e, completion, prompt.length);
      }
    } catch (BadRequest bad) {
      reply(e, bad.status(), error(bad.getMessage()));
    } catch (InterruptedException interrupted) {
      Thread.currentThread().interrupt();
    } finally {
      e.close();
    }
  }

  private long[] promptIds(CompletionRequest request) {
    long[] ids;
    if (request.promptText() != null) {
      if (tokenizer == null) {
        throw new BadRequest(400, "the server has no tokenizer: give the prompt as token ids");
      }
      ids = tokenizer.encode(request.promptText()).stream().mapToLong(Long::longValue).toArray();
      if (ids.length == 0) {
        throw new BadRequest(400, "the prompt encodes to no tokens");
      }
    } else {
      ids = request.promptIds().stream().mapToLong(Long::longValue).toArray();
    }
    for (long id : ids) {
      if (id < 0 || id >= vocabulary) {
        throw new BadRequest(
            400, "token id " + id + " is outside the vocabulary of " + vocabulary + " tokens");
      }
    }
    if (!request.stops().strings().isEmpty() && tokenizer == null) {
      throw new BadRequest(400, "stop strings need the server's --tokenizer");
    }
    return ids;
  }

  private JsonNode readJson(HttpExchange e) {
    byte[] body;
    try (InputStream in = e.getRequestBody()) {
      body = in.readNBytes(MAX_BODY + 1);
    } catch (IOException io) {
      throw new BadRequest(400, "the body could not be read: " + io.getMessage());
    }
    if (body.length > MAX_BODY) {
      throw new BadRequest(413, "the body is larger than " + MAX_BODY + " bytes");
    }
    try {
      return JSON.readTree(body);
    } catch (IOException bad) {
      throw new BadRequest(400, "the body is not JSON: " + firstLine(bad.getMessage()));
    }
  }

  private void whole(HttpExchange e, Completion completion, int promptTokens)
      throws IOException, InterruptedException {
    StringBuilder text = new StringBuilder();
    Completion.Event event;
    while (!(event = completion.events.take()).last()) {
      text.append(event.text());
    }
    if (event.error() != null) {
      reply(e, 500, error(event.error()));
      return;
    }
    Map<String, Object> choice = new LinkedHashMap<>();
    choice.put("index", 0);
    choice.put("text", text.toString());
    choice.put("token_ids", completion.tokens);
    choice.put("finish_reason", event.finishReason());
    Map<String, Object> body = envelope();
    body.put("choices", List.of(choice));
    body.put(
        "usage",
        Map.of(
            "prompt_tokens",
            promptTokens,
            "completion_tokens",
            completion.tokens.size(),
            "total_tokens",
            promptTokens + completion.tokens.size()));
    reply(e, 200, body);
  }

  private void stream(HttpExchange e, Completion completion) throws InterruptedException {
    e.getResponseHeaders().set("Content-Type", "text/event-stream");
    e.getResponseHeaders().set("Cache-Control", "no-cache");
    try {
      e.sendResponseHeaders(200, 0);
      OutputStream out = e.getResponseBody();
      while (true) {
        Completion.Event event = completion.events.take();
        Map<String, Object> choice = new LinkedHashMap<>();
        choice.put("index", 0);
        choice.put("text", event.text());
        choice.put("finish_reason", event.finishReason());
        if (!event.last()) {
          choice.put("token_id", event.token());
        }
        Map<String, Object> chunk = envelope();
        chunk.put("choices", List.of(choice));
        if (event.error() != null) {
          chunk.put("error", Map.of("message", event.error()));
        }
        out.write(
            ("data: " + JSON.writeValueAsString(chunk) + "\n\n").getBytes(StandardCharsets.UTF_8));
        if (event.last()) {
          out.write("data: [DONE]\n\n".getBytes(StandardCharsets.UTF_8));
          out.flush();
          out.close();
          return;
        }
        out.flush();
      }
    } catch (IOException gone) {
      completion.cancelled = true; // the client left: its row stops producing
    }
  }

  private Map<String, Object> envelope() {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("id", "cmpl-" + Long.toHexString(System.nanoTime()));
    body.put("object", "text_completion");
    body.put("created", System.currentTimeMillis() / 1000);
    body.put("model", modelName);
    return body;
  }

  private static Map<String, Object> error(String message) {
    return Map.of("error", Map.of("message", message == null ? "" : message));
  }

  private static String firstLine(String message) {
    return message == null ? "" : message.lines().findFirst().orElse("");
  }

  private static void reply(HttpExchange e, int status, Object body) {
    try {
      byte[] bytes = JSON.writeValueAsBytes(body);
      e.getResponseHeaders().set("Content-Type", "application/json");
      e.sendResponseHeaders(status, bytes.length);
      try (OutputStream out = e.getResponseBody()) {
        out.write(bytes);
      }
    } catch (JsonProcessingException bad) {
      throw new IllegalStateException(bad);
    } catch (IOException gone) {
      // the client left before its answer: nothing to tell it
    } finally {
      e.close();
    }
  }

  @Override
  public void close() {
    server.stop(0);
    decoder.stop();
    try {
      decoding.join(TimeUnit.SECONDS.toMillis(5));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    handlers.shutdownNow();
  }
}
