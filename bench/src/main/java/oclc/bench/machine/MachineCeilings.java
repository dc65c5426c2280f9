package oclc.bench.machine;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.atomic.DoubleAdder;
import java.util.function.IntConsumer;
import java.util.stream.Stream;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * What this machine can do at best, measured here and now, each ceiling by two methods so that a
 * wrong one shows: the memory bandwidth as every thread summing its share of buffers far beyond the
 * last-level cache ({@code readGbps}) and as STREAM's triad over the same buffers, bytes read and
 * written counted as STREAM counts them ({@code triadGbps}); the fp32 FMA peak as independent
 * vector FMA chains on registers ({@code fmaGflops}) and as a GEMM register tile fed from L1
 * ({@code tileGflops}). Each is the best of a few tries. Where a ceiling's two methods disagree by
 * more than {@link #AGREEMENT}, its floor is left out ({@link #readFloorGbps}, {@link
 * #fmaFloorGflops}) rather than given wrong.
 *
 * <p>Until 2026-12-08 the bench printed 190.9 GB/s on a machine whose C stream reads 36 GB/s. The
 * cause was the timing, not the buffers (2 × 128 MiB, 8× a 32 MiB L3) nor the JIT (the sum was
 * kept): the main thread took its start time only once it ran again after the start barrier, and
 * with a worker on every core it waited for a core, at worst until a worker was done; the window
 * missed most of the work. With one busy process beside it the old code printed 79–136 GB/s here (a
 * C stream: 36–50). Each worker now times itself, and a try's time runs from the first worker's
 * start to the last one's end.
 */
public record MachineCeilings(
    int threads, double readGbps, double triadGbps, double fmaGflops, double tileGflops) {
  private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;

  /**
   * The most two methods of one ceiling may differ by, as the larger over the smaller, for its
   * floor to be given.
   */
  public static final double AGREEMENT = 1.2;

  /** The least the bandwidth buffers take in all: 1 GiB, or 8× the last-level cache if more. */
  private static final long LEAST_STREAM_BYTES = 1L << 30;

  private static final int TRIES = 5;

  /** Independent FMA chains of {@link #fmaBlock}: enough to cover the FMA latency on two ports. */
  public static final int CHAINS = 12;

  private static final long FMA_ROUNDS = 40_000_000L;

  /** Depth of the GEMM tile's panels: 6 × 128 floats of A and 128 × 2 vectors of B, in L1. */
  private static final int TILE_DEPTH = 128;

  private static final int TILE_ROWS = 6;

  public static MachineCeilings measure(int threads) {
    long bytes = streamBytes(lastLevelCacheBytes(Path.of("/sys/devices/system/cpu/cpu0/cache")));
    // Three arrays per thread: the sum reads all three, the triad writes the first from the others.
    int floats = Math.toIntExact(bytes / Float.BYTES / 3 / threads);
    floats -= floats % (4 * SPECIES.length());
    float[][][] arrays = new float[threads][3][floats];
    parallelSeconds(threads, id -> touch(arrays[id]));
    long streamed = 3L * threads * floats * Float.BYTES;
    float[][] panels = new float[threads][];
    for (int t = 0; t < threads; t++) {
      panels[t] = new float[TILE_DEPTH * (TILE_ROWS + 2 * SPECIES.length())];
      java.util.Arrays.fill(panels[t], 1e-3f);
    }
    long tileRounds = FMA_ROUNDS / TILE_DEPTH;
    double bestRead = 0;
    double bestTriad = 0;
    double bestFma = 0;
    double bestTile = 0;
    for (int t = 0; t < TRIES; t++) {
      double read = parallelSeconds(threads, id -> sink(sum(arrays[id])));
      bestRead = Math.max(bestRead, streamed / read / 1e9);
      double triad = parallelSeconds(threads, id -> triad(arrays[id]));
      bestTriad = Math.max(bestTriad, streamed / triad / 1e9);
      double fma = parallelSeconds(threads, id -> sink(fmaChains(FMA_ROUNDS)));
      bestFma =
          Math.max(bestFma, threads * FMA_ROUNDS * CHAINS * SPECIES.length() * 2.0 / fma / 1e9);
      double tile = parallelSeconds(threads, id -> sink(tiles(panels[id], tileRounds)));
      bestTile =
          Math.max(
              bestTile,
              threads
                  * tileRounds
                  * TILE_DEPTH
                  * 2
                  * TILE_ROWS
                  * SPECIES.length()
                  * 2.0
                  / tile
                  / 1e9);
    }
    return new MachineCeilings(threads, bestRead, bestTriad, bestFma, bestTile);
  }

  /** The bandwidth buffers' size in all for a last-level cache of {@code llcBytes} (0: unknown). */
  static long streamBytes(long llcBytes) {
    return Math.max(LEAST_STREAM_BYTES, 8 * llcBytes);
  }

  /**
   * The largest data or unified cache that sysfs lists under {@code cacheFolder} (its {@code
   * index*}/{@code size}, as {@code 32768K}), in bytes; 0 where none can be read.
   */
  static long lastLevelCacheBytes(Path cacheFolder) {
    try (Stream<Path> indexes = Files.list(cacheFolder)) {
      return indexes
          .filter(p -> p.getFileName().toString().startsWith("index"))
          .filter(p -> !read(p.resolve("type")).equals("Instruction"))
          .mapToLong(p -> cacheSize(read(p.resolve("size"))))
          .max()
          .orElse(0);
    } catch (IOException | RuntimeException e) {
      return 0;
    }
  }

  static long cacheSize(String size) {
    if (size.isEmpty()) {
      return 0;
    }
    char unit = Character.toUpperCase(size.charAt(size.length() - 1));
    long scale =
        switch (unit) {
          case 'K' -> 1L << 10;
          case 'M' -> 1L << 20;
          case 'G' -> 1L << 30;
          default -> 1;
        };
    String digits = Character.isDigit(unit) ? size : size.substring(0, size.length() - 1);
    return Long.parseLong(digits.strip()) * scale;
  }

  private static String read(Path file) {
    try {
      return Files.readString(file).strip();
    } catch (IOException e) {
      return "";
    }
  }

  /** Whether the two bandwidth methods agree within {@link #AGREEMENT}. */
  public boolean bandwidthAgrees() {
    return agree(readGbps, triadGbps);
  }

  /** Whether the two FMA methods agree within {@link #AGREEMENT}. */
  public boolean fmaAgrees() {
    return agree(fmaGflops, tileGflops);
  }

  /** The read bandwidth a floor may use; NaN where the two methods disagree. */
  public double readFloorGbps() {
    return bandwidthAgrees() ? readGbps : Double.NaN;
  }

  /** The FMA peak a floor may use; NaN where the two methods disagree. */
  public double fmaFloorGflops() {
    return fmaAgrees() ? fmaGflops : Double.NaN;
  }

  private static boolean agree(double a, double b) {
    return a > 0 && b > 0 && Math.max(a, b) / Math.min(a, b) <= AGREEMENT;
  }

  /**
   * The better of this and {@code other} (measured at another time: the host's load moves), per
   * ceiling as one measurement, both of its methods from the same time: the one whose methods
   * agree, or the higher where both or neither do. Taking each method's best apart could pair a sum
   * from one time with a triad from another and make two disagreeing measurements look agreed.
   */
  public MachineCeilings best(MachineCeilings other) {
    if (other.threads != threads) {
      throw new IllegalArgumentException(
          "ceilings of " + threads + " and " + other.threads + " threads");
    }
    MachineCeilings bandwidth =
        better(bandwidthAgrees(), readGbps, other.bandwidthAgrees(), other.readGbps) ? this : other;
    MachineCeilings fma =
        better(fmaAgrees(), fmaGflops, other.fmaAgrees(), other.fmaGflops) ? this : other;
    return new MachineCeilings(
        threads, bandwidth.readGbps, bandwidth.triadGbps, fma.fmaGflops, fma.tileGflops);
  }

  /** Whether a measurement (agreeing or not, its figure) is at least as good as another. */
  private static boolean better(boolean agrees, double figure, boolean otherAgrees, double other) {
    return agrees != otherAgrees ? agrees : figure >= other;
  }

  /** Prints the ceilings of this machine for all its cores. */
  public static void main(String[] args) {
    System.out.println(measure(Runtime.getRuntime().availableProcessors()).describe());
  }

  public String describe() {
    return String.format(
        Locale.ROOT,
        "memory %.1f GB/s read (sum), %.1f GB/s triad (STREAM's bytes)%s; "
            + "fp32 FMA %.0f GFLOP/s (register chains), %.0f GFLOP/s (GEMM tile from L1)%s "
            + "(%d threads, %d-lane vectors)",
        readGbps,
        triadGbps,
        bandwidthAgrees() ? "" : ": the methods DISAGREE, no bandwidth floor",
        fmaGflops,
        tileGflops,
        fmaAgrees() ? "" : ": the methods DISAGREE, no FMA floor",
        threads,
        SPECIES.length());
  }

  private static final DoubleAdder SINK = new DoubleAdder();

  /** Keeps a result alive, so that the JIT cannot drop the work that made it. */
  private static void sink(double value) {
    SINK.add(value);
  }

  /**
   * Floats per call: small enough that the JIT compiles the loop as a whole method, not on stack
   * replacement.
   */
  private static final int CHUNK = 1 << 16;

  private static final long FMA_BLOCK = 100_000;

  private static final long TILE_BLOCK = 1_000;

  /** Writes every page (so that it exists) with values that are not zeros (nothing is skipped). */
  private static void touch(float[][] arrays) {
    for (float[] a : arrays) {
      for (int i = 0; i < a.length; i++) {
        a[i] = (i & 1023) * 1e-3f;
      }
    }
  }

  private static double sum(float[][] arrays) {
    double total = 0;
    for (float[] a : arrays) {
      for (int start = 0; start < a.length; start += CHUNK) {
        total += sumChunk(a, start, Math.min(a.length, start + CHUNK));
      }
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

  /** STREAM's triad {@code a = b + s·c} over the thread's three arrays. */
  private static void triad(float[][] arrays) {
    float[] a = arrays[0];
    for (int start = 0; start < a.length; start += CHUNK) {
      triadChunk(a, arrays[1], arrays[2], start, Math.min(a.length, start + CHUNK));
    }
  }

  /** {@code a[i] = b[i] + 3·c[i]} over {@code [from..to)}: the second bandwidth method's loop. */
  public static void triadChunk(float[] a, float[] b, float[] c, int from, int to) {
    FloatVector scale = FloatVector.broadcast(SPECIES, 3f);
    for (int i = from; i + SPECIES.length() <= to; i += SPECIES.length()) {
      FloatVector.fromArray(SPECIES, c, i)
          .fma(scale, FloatVector.fromArray(SPECIES, b, i))
          .intoArray(a, i);
    }
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

  private static double tiles(float[] panels, long rounds) {
    double total = 0;
    for (long done = 0; done < rounds; done += TILE_BLOCK) {
      total += tileBlock(panels, Math.min(TILE_BLOCK, rounds - done));
    }
    return total;
  }

  /**
   * {@code rounds} passes of a 6 × 2-vector GEMM register tile over panels in L1 ({@code panels}:
   * A's 6 × {@value #TILE_DEPTH} floats, then B's {@value #TILE_DEPTH} × 2 vectors): a broadcast of
   * A and two loads of B per 12 FMAs, as a matrix product's inner loop does; the second FMA method.
   */
  public static float tileBlock(float[] panels, long rounds) {
    int lanes = SPECIES.length();
    int b = TILE_ROWS * TILE_DEPTH;
    FloatVector c00 = FloatVector.zero(SPECIES), c01 = FloatVector.zero(SPECIES);
    FloatVector c10 = FloatVector.zero(SPECIES), c11 = FloatVector.zero(SPECIES);
    FloatVector c20 = FloatVector.zero(SPECIES), c21 = FloatVector.zero(SPECIES);
    FloatVector c30 = FloatVector.zero(SPECIES), c31 = FloatVector.zero(SPECIES);
    FloatVector c40 = FloatVector.zero(SPECIES), c41 = FloatVector.zero(SPECIES);
    FloatVector c50 = FloatVector.zero(SPECIES), c51 = FloatVector.zero(SPECIES);
    for (long r = 0; r < rounds; r++) {
      for (int k = 0; k < TILE_DEPTH; k++) {
        FloatVector b0 = FloatVector.fromArray(SPECIES, panels, b + 2 * k * lanes);
        FloatVector b1 = FloatVector.fromArray(SPECIES, panels, b + (2 * k + 1) * lanes);
        int a = k * TILE_ROWS;
        FloatVector x = FloatVector.broadcast(SPECIES, panels[a]);
        c00 = b0.fma(x, c00);
        c01 = b1.fma(x, c01);
        x = FloatVector.broadcast(SPECIES, panels[a + 1]);
        c10 = b0.fma(x, c10);
        c11 = b1.fma(x, c11);
        x = FloatVector.broadcast(SPECIES, panels[a + 2]);
        c20 = b0.fma(x, c20);
        c21 = b1.fma(x, c21);
        x = FloatVector.broadcast(SPECIES, panels[a + 3]);
        c30 = b0.fma(x, c30);
        c31 = b1.fma(x, c31);
        x = FloatVector.broadcast(SPECIES, panels[a + 4]);
        c40 = b0.fma(x, c40);
        c41 = b1.fma(x, c41);
        x = FloatVector.broadcast(SPECIES, panels[a + 5]);
        c50 = b0.fma(x, c50);
        c51 = b1.fma(x, c51);
      }
    }
    return c00.add(c01)
        .add(c10)
        .add(c11)
        .add(c20)
        .add(c21)
        .add(c30)
        .add(c31)
        .add(c40)
        .add(c41)
        .add(c50)
        .add(c51)
        .reduceLanes(VectorOperators.ADD);
  }

  /**
   * Wall time of every thread running {@code work} at once: from the first worker's start to the
   * last one's end, each taken by the worker itself (not by a coordinating thread, which may wait
   * for a core while the workers run).
   */
  private static double parallelSeconds(int threads, IntConsumer work) {
    CyclicBarrier start = new CyclicBarrier(threads);
    long[] begins = new long[threads];
    long[] ends = new long[threads];
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
                    } catch (Exception e) {
                      throw new IllegalStateException(e);
                    }
                    begins[id] = System.nanoTime();
                    work.accept(id);
                    ends[id] = System.nanoTime();
                  });
    }
    try {
      for (Thread worker : workers) {
        worker.join();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while measuring the machine", e);
    }
    if (java.util.Arrays.stream(ends).anyMatch(end -> end == 0)) {
      throw new IllegalStateException("a measurement's thread failed (its error is above)");
    }
    long first = java.util.Arrays.stream(begins).min().orElseThrow();
    long last = java.util.Arrays.stream(ends).max().orElseThrow();
    return (last - first) / 1e9;
  }
}
