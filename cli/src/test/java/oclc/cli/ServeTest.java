package oclc.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import oclc.cache.KernelCache;
import oclc.cli.support.Oclc;
import oclc.cli.support.TestDevice;
import oclc.compiler.DeviceModel;
import oclc.compiler.serve.CompletionServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code oclc serve}'s server on a free loopback port, talked to with the JDK's HTTP client:
 * generate's greedy tokens, one event per token, batches that give what single requests give, and
 * the 4xx of bad requests.
 */
class ServeTest {
  private static final Path EXAMPLE = Path.of("..", "examples", "gpt2-tiny-past");
  private static final ObjectMapper JSON = new ObjectMapper();
  private final HttpClient client = HttpClient.newHttpClient();
  @TempDir Path folder;

  private CompletionServer start(DeviceModel loaded, int maxBatch, int queue) throws Exception {
    return new CompletionServer(
        loaded.executable(), "gpt2-tiny", null, Set.of(), 0, "127.0.0.1", 0, maxBatch, queue);
  }

  private DeviceModel open(String device) {
    return DeviceModel.open(
        EXAMPLE,
        device,
        new KernelCache(folder.resolve("cache")),
        new PrintWriter(new StringWriter()),
        true);
  }

  private static HttpRequest completion(CompletionServer server, String body) {
    return HttpRequest.newBuilder(
            URI.create("http://127.0.0.1:" + server.port() + "/v1/completions"))
        .POST(HttpRequest.BodyPublishers.ofString(body))
        .build();
  }

  private HttpResponse<String> post(CompletionServer server, String body) throws Exception {
    return client.send(completion(server, body), HttpResponse.BodyHandlers.ofString());
  }

  /** {@code GET /metrics}: Prometheus' text. */
  private String metrics(CompletionServer server) throws Exception {
    return client
        .send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/metrics"))
                .build(),
            HttpResponse.BodyHandlers.ofString())
        .body();
  }

  private static List<Long> tokens(HttpResponse<String> response) throws Exception {
    assertEquals(200, response.statusCode(), response.body());
    List<Long> ids = new ArrayList<>();
    JSON.readTree(response.body()).at("/choices/0/token_ids").forEach(t -> ids.add(t.asLong()));
    return ids;
  }

  private static String greedy(String prompt, int tokens) {
    return "{\"prompt\": [" + prompt + "], \"max_tokens\": " + tokens + ", \"temperature\": 0}";
  }

  private static List<Long> generated(String device, String prompt, int tokens) {
    Oclc.Result r =
        Oclc.run(
            "generate",
            EXAMPLE.toString(),
            "--device",
            device,
            "--prompt-ids",
            prompt,
            "--max-new-tokens",
            String.valueOf(tokens),
            "--ignore-eos");
    assertEquals(0, r.exitCode(), r.err());
    Matcher m = Pattern.compile("(?m)^tokens: ([0-9,]+)$").matcher(r.out());
    assertTrue(m.find(), r.out());
    return java.util.Arrays.stream(m.group(1).split(",")).map(Long::parseLong).toList();
  }

  @Test
  void greedyCompletionsAreGeneratesTokensOnJavaAndCpu() throws Exception {
    TestDevice.context();
    for (String device : List.of("java", "cpu")) {
      try (DeviceModel loaded = open(device);
          CompletionServer server = start(loaded, 8, 16)) {
        assertEquals(
            generated(device, "464,329,318", 12),
            tokens(post(server, greedy("464,329,318", 12))),
            device);
      }
    }
  }

  @Test
  void streamingSendsOneEventPerTokenThenDone() throws Exception {
    try (DeviceModel loaded = open("java");
        CompletionServer server = start(loaded, 8, 16)) {
      String body = greedy("464,329,318", 7).replace("}", ", \"stream\": true}");
      HttpResponse<String> response = post(server, body);
      assertEquals(200, response.statusCode());
      assertEquals("text/event-stream", response.headers().firstValue("Content-Type").orElse(""));
      List<String> events =
          response
              .body()
              .lines()
              .filter(l -> l.startsWith("data: "))
              .map(l -> l.substring(6))
              .toList();
      assertEquals("[DONE]", events.getLast());
      List<Long> streamed = new ArrayList<>();
      for (String event : events.subList(0, events.size() - 1)) {
        JsonNode choice = JSON.readTree(event).at("/choices/0");
        if (choice.has("token_id")) {
          streamed.add(choice.get("token_id").asLong());
        }
      }
      assertEquals(tokens(post(server, greedy("464,329,318", 7))), streamed);
      assertEquals(7 + 2, events.size(), "7 tokens, the finish, [DONE]");
    }
  }

  @Test
  void eightParallelRequestsGiveWhatEachGivesAlone() throws Exception {
    try (DeviceModel loaded = open("java");
        CompletionServer server = start(loaded, 8, 16)) {
      List<String> prompts = new ArrayList<>();
      for (int i = 0; i < 8; i++) {
        // one length: the example has no attention mask to pad shorter prompts with
        prompts.add((100 + i) + "," + (50 * i) + ",7");
      }
      List<List<Long>> alone = new ArrayList<>();
      for (String p : prompts) {
        alone.add(tokens(post(server, greedy(p, 10))));
      }
      List<CompletableFuture<HttpResponse<String>>> parallel = new ArrayList<>();
      for (String p : prompts) {
        parallel.add(
            client.sendAsync(
                completion(server, greedy(p, 10)), HttpResponse.BodyHandlers.ofString()));
      }
      for (int i = 0; i < prompts.size(); i++) {
        assertEquals(alone.get(i), tokens(parallel.get(i).get()), prompts.get(i));
      }
      String metrics = metrics(server);
      assertTrue(metrics.contains("oclc_generated_tokens_total 160"), metrics);
    }
  }

  /**
   * On the Llama export (an attention mask, so rows of other lengths pad): a request that arrives
   * while another streams joins its batch between steps, and both get what each gets alone.
   */
  @Test
  void aRequestArrivingDuringABatchJoinsItAndGetsItsOwnTokens() throws Exception {
    Path artifact = folder.resolve("llama.oclc");
    Oclc.Result compiled =
        Oclc.run(
            "compile",
            SharedData.models().resolve("llama-tiny-past-opset14").resolve("model.onnx").toString(),
            "--device",
            "java",
            "--out",
            artifact.toString(),
            "--dim",
            "batch_size=1..4",
            "--dim",
            "sequence_length=1..16",
            "--dim",
            "past_sequence_length=0..63");
    assertEquals(0, compiled.exitCode(), compiled.err());
    try (DeviceModel loaded =
            DeviceModel.open(
                artifact,
                "java",
                new KernelCache(folder.resolve("cache")),
                new PrintWriter(new StringWriter()),
                true);
        CompletionServer server =
            new CompletionServer(
                loaded.executable(), "llama-tiny", null, Set.of(), 0, "127.0.0.1", 0, 4, 16)) {
      String first = "5,17,300,42,9,77,1";
      String second = "11,480";
      List<Long> firstAlone = tokens(post(server, greedy(first, 48)));
      List<Long> secondAlone = tokens(post(server, greedy(second, 6)));
      HttpResponse<java.util.stream.Stream<String>> stream =
          client.send(
              completion(server, greedy(first, 48).replace("}", ", \"stream\": true}")),
              HttpResponse.BodyHandlers.ofLines());
      java.util.Iterator<String> lines = stream.body().iterator();
      List<Long> streamed = new ArrayList<>();
      List<Long> joined = null;
      while (lines.hasNext()) {
        String line = lines.next();
        if (!line.startsWith("data: ") || line.equals("data: [DONE]")) {
          continue;
        }
        JsonNode choice = JSON.readTree(line.substring(6)).at("/choices/0");
        if (choice.has("token_id")) {
          streamed.add(choice.get("token_id").asLong());
        }
        if (joined == null) { // the first's batch is running: the second arrives now
          joined = tokens(post(server, greedy(second, 6)));
        }
      }
      assertEquals(firstAlone, streamed, "the running request");
      assertEquals(secondAlone, joined, "the request that joined");
      assertTrue(streamed.size() > joined.size() + 1);
      String metrics = metrics(server);
      assertTrue(metrics.contains("oclc_joined_total 1\n"), metrics);
    }
  }

  @Test
  void badRequestsGet4xxAndTheServerGoesOn() throws Exception {
    try (DeviceModel loaded = open("java");
        CompletionServer server = start(loaded, 8, 16)) {
      assertEquals(400, post(server, "{not json").statusCode());
      assertEquals(400, post(server, "[1,2]").statusCode());
      assertEquals(400, post(server, "{\"prompt\": []}").statusCode());
      assertEquals(400, post(server, "{\"prompt\": \"text\"}").statusCode(), "no tokenizer");
      assertEquals(400, post(server, greedy("1,2", 0)).statusCode());
      assertEquals(400, post(server, greedy("99999999", 4)).statusCode(), "outside the vocabulary");
      HttpResponse<String> tooLong = post(server, greedy("1,2", 100_000));
      assertEquals(400, tooLong.statusCode());
      assertTrue(tooLong.body().contains("compiled for"), tooLong.body());
      assertEquals(
          400, post(server, "{\"prompt\": [1], \"top_p\": 2}").statusCode(), "top_p above 1");
      String huge = "{\"prompt\": \"" + "x".repeat(CompletionServer.MAX_BODY + 10) + "\"}";
      assertEquals(413, post(server, huge).statusCode());
      // a client that leaves mid-stream
      try (Socket socket = new Socket("127.0.0.1", server.port())) {
        byte[] body =
            greedy("1,2", 30).replace("}", ", \"stream\": true}").getBytes(StandardCharsets.UTF_8);
        OutputStream out = socket.getOutputStream();
        out.write(
            ("POST /v1/completions HTTP/1.1\r\nHost: x\r\nContent-Length: "
                    + body.length
                    + "\r\n\r\n")
                .getBytes(StandardCharsets.UTF_8));
        out.write(body);
        out.flush();
        InputStream in = socket.getInputStream();
        in.readNBytes(64);
      }
      assertEquals(3, tokens(post(server, greedy("1,2", 3))).size(), "still serving");
    }
  }

  @Test
  void aFullQueueGets429() throws Exception {
    try (DeviceModel loaded = open("java");
        CompletionServer server = start(loaded, 1, 1)) {
      List<CompletableFuture<HttpResponse<String>>> many = new ArrayList<>();
      for (int i = 0; i < 12; i++) {
        many.add(
            client.sendAsync(
                completion(server, greedy("1,2", 40)), HttpResponse.BodyHandlers.ofString()));
      }
      List<Integer> statuses = new ArrayList<>();
      for (var f : many) {
        statuses.add(f.get().statusCode());
      }
      assertTrue(statuses.contains(429) && statuses.contains(200), statuses.toString());
    }
  }
}
