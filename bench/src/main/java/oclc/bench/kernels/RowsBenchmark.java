package oclc.bench.kernels;

import org.openjdk.jmh.annotations.Param;

/** A node over rows of GPT-2 small's activations: one row (a decode step) and 64 (a prefill). */
public abstract class RowsBenchmark extends NodeBenchmark {
  @Param({"1", "64"})
  public int rows;
}
