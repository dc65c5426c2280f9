package oclc.compiler.trace;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The rules of the trace-event format that {@link Trace} writes and Perfetto's importer relies on,
 * checked on a parsed file: an object with a {@code traceEvents} array; each event a string {@code
 * name}, a known {@code ph}, integer {@code pid} and {@code tid}, a number {@code ts} in
 * microseconds (not negative); a complete event ("X") a {@code dur} not negative; complete events
 * sorted by {@code ts}; and on each track (pid, tid) every two complete events either disjoint or
 * one inside the other, as a viewer nests them.
 */
public final class TraceFormat {
  private static final Set<String> PHASES = Set.of("X", "B", "E", "i", "I", "M", "C");

  /** Half a nanosecond, for the rounding of microseconds written as doubles. */
  private static final double SLACK = 5e-4;

  private TraceFormat() {}

  /** What breaks the rules, empty when the file follows them. */
  public static List<String> violations(JsonNode root) {
    List<String> problems = new ArrayList<>();
    JsonNode events = root.path("traceEvents");
    if (!events.isArray()) {
      problems.add("no traceEvents array");
      return problems;
    }
    double lastStart = Double.NEGATIVE_INFINITY;
    Map<String, List<double[]>> openByTrack = new HashMap<>();
    for (int i = 0; i < events.size(); i++) {
      JsonNode e = events.get(i);
      String where = "event " + i + " " + e.path("name").asText();
      if (!e.path("name").isTextual()) {
        problems.add(where + ": name is not a string");
      }
      String phase = e.path("ph").asText("");
      if (!PHASES.contains(phase)) {
        problems.add(where + ": unknown ph '" + phase + "'");
      }
      if (!e.path("pid").isIntegralNumber() || !e.path("tid").isIntegralNumber()) {
        problems.add(where + ": pid and tid must be integers");
      }
      if (!e.path("ts").isNumber() || e.path("ts").asDouble() < 0) {
        problems.add(where + ": ts must be a number of microseconds, not negative");
      }
      if (!phase.equals("X")) {
        continue;
      }
      double start = e.path("ts").asDouble();
      if (!e.path("dur").isNumber() || e.path("dur").asDouble() < 0) {
        problems.add(where + ": a complete event needs a dur, not negative");
        continue;
      }
      double end = start + e.path("dur").asDouble();
      if (start + SLACK < lastStart) {
        problems.add(where + ": not sorted by ts");
      }
      lastStart = Math.max(lastStart, start);
      List<double[]> open =
          openByTrack.computeIfAbsent(
              e.path("pid").asText() + "/" + e.path("tid").asText(), t -> new ArrayList<>());
      while (!open.isEmpty() && open.getLast()[1] <= start + SLACK) {
        open.removeLast();
      }
      if (!open.isEmpty() && end > open.getLast()[1] + SLACK) {
        problems.add(where + ": overlaps an event of its track without nesting in it");
      }
      open.add(new double[] {start, end});
    }
    return problems;
  }
}
