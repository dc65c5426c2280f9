package oclc.bench.gpt2;

import java.util.List;

/**
 * One way of running a GPT-2 decode graph for the benchmark: a prefill over the prompt, then greedy
 * decode steps of one token each, with the keys and values of the past kept between steps.
 */
public interface Gpt2Engine extends AutoCloseable {
  /** The name in the report: "oclc", "ORT". */
  String name();

  /**
   * The prefill over {@code prompt}, then {@code decodeSteps} steps each feeding the greedy token
   * of the step before; times what each took.
   */
  Run run(long[] prompt, int decodeSteps);

  @Override
  void close();

  /**
   * {@code engine} under another name (its weight format's rows: "oclc-java int4"); closing it is
   * left to whoever opened {@code engine}.
   */
  static Gpt2Engine named(String name, Gpt2Engine engine) {
    return new Gpt2Engine() {
      @Override
      public String name() {
        return name;
      }

      @Override
      public Run run(long[] prompt, int decodeSteps) {
        return engine.run(prompt, decodeSteps);
      }

      @Override
      public void close() {}
    };
  }

  /**
   * One timed generation: the prefill, the decode steps together, the greedy tokens (one from the
   * prefill and one from every step) and the last-position logits of each step (the prefill first).
   */
  record Run(
      double prefillMillis,
      double decodeMillis,
      int decodeSteps,
      List<Long> tokens,
      List<float[]> logits,
      HostSplit decodeSplit) {
    public double decodeMillisPerToken() {
      return decodeSteps == 0 ? 0 : decodeMillis / decodeSteps;
    }
  }

  /**
   * Where the wall time of the decode steps went, per step, for an engine that can tell: planning
   * (binding, variants, arguments), enqueueing the kernels, waiting for the device, reading the
   * logits back. Null for an engine that runs a step as one call.
   */
  record HostSplit(double planMillis, double enqueueMillis, double waitMillis, double readMillis) {}
}
