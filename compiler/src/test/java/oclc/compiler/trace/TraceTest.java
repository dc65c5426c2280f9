package oclc.compiler.trace;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import oclc.runtime.LaunchTiming;
import oclc.runtime.Session;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A trace of two runs written, read back and held to the format's rules. */
class TraceTest {
  @TempDir Path folder;

  /** The device's clock, whose zero is not the host's. */
  private static final long DEVICE_CLOCK = 7_000_000_000L;

  private static LaunchTiming launch(String node, String op, long started, long nanos) {
    return new LaunchTiming(
        node, op, "v_" + op, "k_" + node, List.of(64L, 1L), DEVICE_CLOCK + started, nanos);
  }

  @Test
  void runsBecomeSortedCompleteEventsOnTheirTracks() throws Exception {
    Trace trace = new Trace("model on device");
    long t = System.nanoTime();
    trace.addRun(
        "prefill",
        new Session.HostPhases(t, t + 20_000, t + 50_000, t + 90_000),
        List.of(launch("/a/MatMul", "MatMul", 0, 30_000), launch("/b/Add", "Add", 35_000, 10_000)),
        Map.of("sequence", 12L));
    trace.addRun(
        "decode 1",
        new Session.HostPhases(t + 100_000, t + 101_000, t + 120_000, t + 140_000),
        List.of(launch("/a/MatMul", "MatMul", 900_000, 15_000)),
        Map.of("sequence", 13L));
    Path file = folder.resolve("t.json");
    trace.write(file);
    JsonNode root = new ObjectMapper().readTree(file.toFile());
    assertEquals(List.of(), TraceFormat.violations(root));
    JsonNode events = root.get("traceEvents");
    JsonNode matmul = null;
    JsonNode add = null;
    JsonNode prefill = null;
    int complete = 0;
    for (JsonNode e : events) {
      if (e.get("ph").asText().equals("X")) {
        complete++;
        if (e.get("name").asText().equals("prefill")) {
          prefill = e;
        }
        if (e.get("name").asText().equals("/a/MatMul") && matmul == null) {
          matmul = e;
        }
        if (e.get("name").asText().equals("/b/Add")) {
          add = e;
        }
      }
    }
    // prefill: step, plan, enqueue, wait, 2 launches; decode: step, 3 phases, 1 launch
    assertEquals(11, complete);
    assertEquals(30.0, matmul.get("dur").asDouble(), 1e-9, "microseconds");
    assertEquals(
        20.0,
        matmul.get("ts").asDouble() - prefill.get("ts").asDouble(),
        1e-3,
        "from the end of planning");
    assertEquals(
        35.0,
        add.get("ts").asDouble() - matmul.get("ts").asDouble(),
        1e-3,
        "the launches at their measured distance, the 5 µs the device was idle between them shown");
    assertEquals("v_MatMul", matmul.get("args").get("variant").asText());
    assertEquals(12, matmul.get("args").get("dims").get("sequence").asInt());
    assertEquals(Trace.DEVICE_TRACK, matmul.get("tid").asInt());
  }

  @Test
  void theCheckFindsWhatBreaksTheFormat() throws Exception {
    ObjectMapper json = new ObjectMapper();
    assertFalse(TraceFormat.violations(json.readTree("{\"events\": []}")).isEmpty());
    String overlapping =
        "{\"traceEvents\": [{\"name\":\"a\",\"ph\":\"X\",\"ts\":0,\"dur\":10,\"pid\":1,\"tid\":1},"
            + "{\"name\":\"b\",\"ph\":\"X\",\"ts\":5,\"dur\":10,\"pid\":1,\"tid\":1}]}";
    assertTrue(TraceFormat.violations(json.readTree(overlapping)).getFirst().contains("overlaps"));
    String unsorted =
        "{\"traceEvents\": [{\"name\":\"a\",\"ph\":\"X\",\"ts\":20,\"dur\":1,\"pid\":1,\"tid\":1},"
            + "{\"name\":\"b\",\"ph\":\"X\",\"ts\":5,\"dur\":1,\"pid\":1,\"tid\":2}]}";
    assertTrue(TraceFormat.violations(json.readTree(unsorted)).getFirst().contains("sorted"));
    String noDuration =
        "{\"traceEvents\": [{\"name\":\"a\",\"ph\":\"X\",\"ts\":0,\"pid\":1,\"tid\":1}]}";
    assertTrue(TraceFormat.violations(json.readTree(noDuration)).getFirst().contains("dur"));
    String nested =
        "{\"traceEvents\": [{\"name\":\"a\",\"ph\":\"X\",\"ts\":0,\"dur\":10,\"pid\":1,\"tid\":1},"
            + "{\"name\":\"b\",\"ph\":\"X\",\"ts\":2,\"dur\":3,\"pid\":1,\"tid\":1}]}";
    assertEquals(List.of(), TraceFormat.violations(json.readTree(nested)));
  }
}
