package oclc.bench.machine;

import java.util.Locale;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.atomic.DoubleAdder;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * What this machine can do at best, measured here and now, so that a benchmark's figures can be
 * given as a fraction of it: the memory read bandwidth (every thread summing its share of an array
 * far larger than the caches) and the fp32 FMA peak (every thread running independent chains of
 * vector FMAs on registers). Each is the best of a few tries: a ceiling, not a typical figure.
 */
public record MachineCeilings(int threads, double readGbps, double fmaGflops) {
  private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;

  /** Floats per thread for the bandwidth test: 128 MiB each, beyond any cache. */
  private static final int STREAM_FLOATS = 32 << 20;

  private static final int TRIES = 5;

  /** Independent FMA chains of {@link #fmaBlock}: enough to cover the FMA latency on two ports. */
  public static final int CHAINS = 12;

  private static final long FMA_ROUNDS = 40_000_000L;

  public static MachineCeilings measure(int threads) {
    float[][] arrays = new float[threads][STREAM_FLOATS];
    for (float[] a : arrays) {
      for (int i = 0; i < a.length; i++) {
        a[i] =
            (i & 1023)
                * 1e-3f; // touched, so that the pages exist; not zeros, so nothing is skipped
      }
    }
    double bestRead = 0;
    double bestFma = 0;
    for (int t = 0; t < TRIES; t++) {
      double seconds = parallelSeconds(threads, id -> sink(sum(arrays[id])));
      bestRead = Math.max(bestRead, (double) threads * STREAM_FLOATS * Float.BYTES / seconds / 1e9);
      double fmaSeconds = parallelSeconds(threads, id -> sink(fmaChains(FMA_ROUNDS)));
      bestFma =
          Math.max(
              bestFma, threads * FMA_ROUNDS * CHAINS * SPECIES.length() * 2.0 / fmaSeconds / 1e9);
    }
    return new MachineCeilings(threads, bestRead, bestFma);
  }

  /**
   * The better of each ceiling of this and {@code other} (measured at another time: the host's load
   * moves).
   */
  public MachineCeilings best(MachineCeilings other) {
    if (other.threads != threads) {
      throw new IllegalArgumentException(
          "ceilings of " + threads + " and " + other.threads + " threads");
    }
    return new MachineCeilings(
        threads, Math.max(readGbps, other.readGbps), Math.max(fmaGflops, other.fmaGflops));
  }

  /** Prints the ceilings of this machine for all its cores. */
  public static void main(String[] args) {
    System.out.println(measure(Runtime.getRuntime().availableProcessors()).describe());
  }

  public String describe() {
    return String.format(
        Locale.ROOT,
        "%.1f GB/s memory read, %.0f GFLOP/s fp32 FMA (%d threads, %d-lane vectors)",
        readGbps,
        fmaGflops,
        threads,
        SPECIES.length());
  }

  private static final DoubleAdder SINK = new DoubleAdder();

  /** Keeps a result alive, so that the JIT cannot drop the work that made it. */
  private static void sink(double value) {
    SINK.add(value);
  }

  /**
   * Floats summed per call: small enough that the JIT compiles the loop as a whole method, not on
   * stack replacement.
   */
  private static final int CHUNK = 1 << 16;

  private static final long FMA_BLOCK = 100_000;

  private static double sum(float[] a) {
    double total = 0;
    for (int start = 0; start < a.length; start += CHUNK) {
      total += sumChunk(a, start, Math.min(a.length, start + CHUNK));
    }
    return total;
  }

  /**
   * The sum of {@code a[from..to)} in four vector chains: the loop the read bandwidth is measured
   * with.
   */
  public static float sumChunk(float[] a, int from, int to) {
    FloatVector s0 = FloatVector.zero(SPECIES);
    FloatVector s1 = FloatVector.zero(SPECIES);
    FloatVector s2 = FloatVector.zero(SPECIES);
    FloatVector s3 = FloatVector.zero(SPECIES);
    int step = SPECIES.length();
    for (int i = from; i + 4 * step <= to; i += 4 * step) {
      s0 = s0.add(FloatVector.fromArray(SPECIES, a, i));
      s1 = s1.add(FloatVector.fromArray(SPECIES, a, i + step));
      s2 = s2.add(FloatVector.fromArray(SPECIES, a, i + 2 * step));
      s3 = s3.add(FloatVector.fromArray(SPECIES, a, i + 3 * step));
    }
    return s0.add(s1).add(s2).add(s3).reduceLanes(VectorOperators.ADD);
  }

  private static double fmaChains(long rounds) {
    double total = 0;
    for (long done = 0; done < rounds; done += FMA_BLOCK) {
      total += fmaBlock(FMA_BLOCK);
    }
    return total;
  }

  /**
   * {@code rounds} × 12 independent vector FMAs on registers: the loop the FMA peak is measured
   * with.
   */
  public static float fmaBlock(long rounds) {
    FloatVector m = FloatVector.broadcast(SPECIES, 0.999999f);
    FloatVector c = FloatVector.broadcast(SPECIES, 1e-7f);
    FloatVector a0 = FloatVector.broadcast(SPECIES, 1f), a1 = FloatVector.broadcast(SPECIES, 2f);
    FloatVector a2 = FloatVector.broadcast(SPECIES, 3f), a3 = FloatVector.broadcast(SPECIES, 4f);
    FloatVector a4 = FloatVector.broadcast(SPECIES, 5f), a5 = FloatVector.broadcast(SPECIES, 6f);
    FloatVector a6 = FloatVector.broadcast(SPECIES, 7f), a7 = FloatVector.broadcast(SPECIES, 8f);
    FloatVector a8 = FloatVector.broadcast(SPECIES, 9f), a9 = FloatVector.broadcast(SPECIES, 10f);
    FloatVector a10 = FloatVector.broadcast(SPECIES, 11f),
        a11 = FloatVector.broadcast(SPECIES, 12f);
    for (long r = 0; r < rounds; r++) {
      a0 = a0.fma(m, c);
      a1 = a1.fma(m, c);
      a2 = a2.fma(m, c);
      a3 = a3.fma(m, c);
      a4 = a4.fma(m, c);
      a5 = a5.fma(m, c);
      a6 = a6.fma(m, c);
      a7 = a7.fma(m, c);
      a8 = a8.fma(m, c);
      a9 = a9.fma(m, c);
      a10 = a10.fma(m, c);
      a11 = a11.fma(m, c);
    }
    return a0.add(a1)
        .add(a2)
        .add(a3)
        .add(a4)
        .add(a5)
        .add(a6)
        .add(a7)
        .add(a8)
        .add(a9)
        .add(a10)
        .add(a11)
        .reduceLanes(VectorOperators.ADD);
  }

  /** Wall time of every thread running {@code work} at once, from a common start. */
  private static double parallelSeconds(int threads, java.util.function.IntConsumer work) {
    CyclicBarrier start = new CyclicBarrier(threads + 1);
    CyclicBarrier end = new CyclicBarrier(threads + 1);
    Thread[] workers = new Thread[threads];
    for (int t = 0; t < threads; t++) {
      int id = t;
      workers[t] =
          Thread.ofPlatform()
              .daemon()
              .start(
                  () -> {
                    try {
                      start.await();
                      work.accept(id);
                      end.await();
                    } catch (Exception e) {
                      throw new IllegalStateException(e);
                    }
                  });
    }
    try {
      start.await();
      long begin = System.nanoTime();
      end.await();
      return (System.nanoTime() - begin) / 1e9;
    } catch (Exception e) {
      throw new IllegalStateException("the measurement's threads failed", e);
    }
  }
}
