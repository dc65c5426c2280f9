package oclc.compiler.trace;

import java.util.Map;

/**
 * One event of the trace-event format: {@code ph} "X" (a complete event: {@code ts} and {@code dur}
 * in microseconds) or "M" (metadata naming a process or thread); {@code args} what the viewer shows
 * when the event is selected.
 */
public record TraceEvent(
    String name,
    String category,
    String phase,
    double timestampMicros,
    double durationMicros,
    int processId,
    int threadId,
    Map<String, Object> args) {}
