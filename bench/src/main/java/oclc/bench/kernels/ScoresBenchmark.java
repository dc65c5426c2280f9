package oclc.bench.kernels;

import org.openjdk.jmh.annotations.Param;

/**
 * A node over GPT-2 small's attention scores, [1, 12, S, T]: one query (a decode step) and 64 (a
 * prefill), against 128 and 1024 keys.
 */
public abstract class ScoresBenchmark extends NodeBenchmark {
  static final int HEADS = 12;

  @Param({"1", "64"})
  public int queries;

  @Param({"128", "1024"})
  public int keys;
}
