package oclc.compiler.trace;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import oclc.runtime.LaunchTiming;
import oclc.runtime.Session;

/**
 * A timeline of session runs in Chrome's trace-event format. Each run adds its host phases
 * (planning, enqueueing, waiting) to the host track and its launches to the device track, each at
 * its measured start. A launch's start is in its backend's clock (an OpenCL event's is the
 * device's), so the run's first launch is placed where the host began enqueueing and the others at
 * their measured distance from it: the gaps between launches (the device idle, waiting for the
 * host's next enqueue) show as they were, the run's start within a few microseconds.
 */
public final class Trace {
  /** The process every track belongs to. */
  public static final int PROCESS = 1;

  /** The host's phases of each run. */
  public static final int HOST_TRACK = 1;

  /** The launches of each run. */
  public static final int DEVICE_TRACK = 2;

  /** The step (prefill, decode N) each run belongs to. */
  public static final int STEP_TRACK = 3;

  private final List<TraceEvent> events = new ArrayList<>();
  private final long origin;

  /** A trace whose time 0 is now on the host's clock. */
  public Trace(String processName) {
    this.origin = System.nanoTime();
    events.add(metadata("process_name", 0, Map.of("name", processName)));
    events.add(metadata("thread_name", HOST_TRACK, Map.of("name", "host: plan, enqueue, wait")));
    events.add(metadata("thread_name", DEVICE_TRACK, Map.of("name", "device: kernel launches")));
    events.add(metadata("thread_name", STEP_TRACK, Map.of("name", "steps")));
  }

  private static TraceEvent metadata(String name, int thread, Map<String, Object> args) {
    return new TraceEvent(name, "__metadata", "M", 0, 0, PROCESS, thread, args);
  }

  /**
   * One run of a session: its phases on the host track, its launches (with the plan's bound dims)
   * on the device track, and {@code step} spanning it all on the steps track.
   */
  public void addRun(
      String step, Session.HostPhases phases, List<LaunchTiming> launches, Map<String, Long> dims) {
    double start = micros(phases.started());
    double planned = micros(phases.planned());
    double enqueued = micros(phases.enqueued());
    double finished = micros(phases.finished());
    long first = launches.stream().mapToLong(LaunchTiming::started).min().orElse(0);
    long deviceEnd =
        launches.stream().mapToLong(l -> l.started() + l.nanoseconds() - first).max().orElse(0);
    double end = Math.max(finished, planned + deviceEnd / 1e3);
    complete(step, "step", start, end - start, STEP_TRACK, Map.of("launches", launches.size()));
    complete("plan", "host", start, planned - start, HOST_TRACK, Map.of("dims", dims));
    complete("enqueue", "host", planned, enqueued - planned, HOST_TRACK, Map.of());
    complete("wait", "host", enqueued, finished - enqueued, HOST_TRACK, Map.of());
    for (LaunchTiming launch : launches) {
      Map<String, Object> args = new LinkedHashMap<>();
      args.put("node", launch.node());
      args.put("op", launch.opType());
      args.put("variant", launch.variant());
      args.put("kernel", launch.kernel());
      args.put("global_size", launch.globalSize());
      args.put("dims", dims);
      args.put("device_us", launch.nanoseconds() / 1e3);
      complete(
          launch.node(),
          launch.opType(),
          planned + (launch.started() - first) / 1e3,
          launch.nanoseconds() / 1e3,
          DEVICE_TRACK,
          args);
    }
  }

  private void complete(
      String name,
      String category,
      double start,
      double duration,
      int thread,
      Map<String, Object> args) {
    events.add(
        new TraceEvent(name, category, "X", start, Math.max(0, duration), PROCESS, thread, args));
  }

  private double micros(long nanoTime) {
    return (nanoTime - origin) / 1e3;
  }

  /** The events: metadata first, then complete events sorted by start, the longer first on ties. */
  public List<TraceEvent> events() {
    List<TraceEvent> sorted = new ArrayList<>(events);
    sorted.sort(
        Comparator.comparing((TraceEvent e) -> !e.phase().equals("M"))
            .thenComparingDouble(TraceEvent::timestampMicros)
            .thenComparingDouble(e -> -e.durationMicros()));
    return sorted;
  }

  /** The trace as the JSON object format: {@code {"traceEvents": [...], "displayTimeUnit"}}. */
  public Map<String, Object> toJson() {
    List<Map<String, Object>> list = new ArrayList<>();
    for (TraceEvent e : events()) {
      Map<String, Object> event = new LinkedHashMap<>();
      event.put("name", e.name());
      event.put("cat", e.category());
      event.put("ph", e.phase());
      event.put("ts", e.timestampMicros());
      if (e.phase().equals("X")) {
        event.put("dur", e.durationMicros());
      }
      event.put("pid", e.processId());
      event.put("tid", e.threadId());
      event.put("args", e.args());
      list.add(event);
    }
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("traceEvents", list);
    json.put("displayTimeUnit", "ms");
    return json;
  }

  public void write(Path file) {
    try {
      new ObjectMapper().writerWithDefaultPrettyPrinter().writeValue(file.toFile(), toJson());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
