package oclc.bench;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The settings every oclc benchmark runs with unless JMH's own options override them (JMH inherits
 * these annotations): the average time in microseconds, 2 forks of 2 warm-up and 3 measured
 * iterations of 1 s. Each fork gets the flags the kernels need: native access for JOCL, the Vector
 * API, a deep stack for planning and a heap for the largest benchmark's 1 GB of weights.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(
    value = 2,
    jvmArgsAppend = {
      "--enable-native-access=ALL-UNNAMED",
      "--sun-misc-unsafe-memory-access=allow",
      "--add-modules",
      "jdk.incubator.vector",
      "-Xss16m",
      "-Xmx6g"
    })
public abstract class ShortRuns {}
