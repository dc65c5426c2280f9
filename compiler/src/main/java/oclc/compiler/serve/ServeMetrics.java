package oclc.compiler.serve;

import java.util.concurrent.atomic.AtomicLong;

/** What {@code GET /metrics} reports, in Prometheus' text format. */
final class ServeMetrics {
  final AtomicLong tokens = new AtomicLong();
  final AtomicLong requests = new AtomicLong();
  final AtomicLong rejected = new AtomicLong();
  final AtomicLong queued = new AtomicLong();
  final AtomicLong batchSize = new AtomicLong();
  final AtomicLong joined = new AtomicLong();
  private final AtomicLong steps = new AtomicLong();
  private final AtomicLong stepNanos = new AtomicLong();
  private volatile double lastStepSeconds;
  private volatile double tokensPerSecond;

  void step(long nanos, int rows, long active) {
    steps.incrementAndGet();
    stepNanos.addAndGet(nanos);
    lastStepSeconds = nanos / 1e9;
    tokensPerSecond = active / Math.max(1e-9, lastStepSeconds);
  }

  String text() {
    StringBuilder out = new StringBuilder();
    gauge(out, "oclc_tokens_per_second", "tokens per second of the last step", tokensPerSecond);
    counter(out, "oclc_generated_tokens_total", "tokens generated", tokens.get());
    counter(out, "oclc_requests_total", "completion requests accepted", requests.get());
    counter(out, "oclc_rejected_total", "requests refused with a full queue", rejected.get());
    gauge(out, "oclc_queue_length", "requests waiting for a batch", queued.get());
    gauge(out, "oclc_batch_size", "rows of the batch decoding now", batchSize.get());
    counter(out, "oclc_joined_total", "requests that joined a running batch", joined.get());
    gauge(out, "oclc_step_seconds", "the last batched step's time", lastStepSeconds);
    counter(out, "oclc_steps_total", "batched steps run", steps.get());
    out.append("# HELP oclc_step_seconds_total time spent in steps\n")
        .append("# TYPE oclc_step_seconds_total counter\n")
        .append("oclc_step_seconds_total ")
        .append(stepNanos.get() / 1e9)
        .append('\n');
    return out.toString();
  }

  private static void gauge(StringBuilder out, String name, String help, double value) {
    out.append("# HELP ").append(name).append(' ').append(help).append('\n');
    out.append("# TYPE ").append(name).append(" gauge\n");
    out.append(name).append(' ').append(value).append('\n');
  }

  private static void counter(StringBuilder out, String name, String help, long value) {
    out.append("# HELP ").append(name).append(' ').append(help).append('\n');
    out.append("# TYPE ").append(name).append(" counter\n");
    out.append(name).append(' ').append(value).append('\n');
  }
}
