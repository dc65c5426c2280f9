package oclc.bench.linalg;

import java.util.Map;
import java.util.concurrent.TimeUnit;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
import oclc.bench.kernels.KernelWork;
import oclc.codegen.cpu.linalg.WorkerPool;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * This machine's ceilings, measured in Java on the same worker pool as the kernels: {@code
 * memoryRead} sums 1 GB of floats (beyond every cache) with wide vectors, {@code fmaPeak} runs 12
 * independent chains of vector FMAs per thread on registers only. {@code JmhBench} prints the other
 * benchmarks' GB/s and GFLOP/s as fractions of these when they are in the same run.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(value = 2, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "-Xmx3g"})
public class CeilingsBenchmark {
  static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;
  static final int READ_FLOATS = 1 << 28;
  /** Floats one index of the read sums: 1 MB. */
  static final int CHUNK = 1 << 18;
  /** FMA loop trips per thread and launch, 12 vector FMAs each: short, so that C2 compiles the method whole (an on-stack-replaced loop boxed its vectors). */
  static final int FMA_TRIPS = 1 << 14;
  static final int FMA_CHAINS = 12;

  @Param({"0"})
  public int threads;

  private WorkerPool pool;
  private float[] data;
  private final float[] sums = new float[READ_FLOATS / CHUNK];
  private WorkerPool.Task sumChunk;
  private WorkerPool.Task fmaChains;

  @Setup(Level.Trial)
  public void setUp() {
    pool = new WorkerPool(threads > 0 ? threads : WorkerPool.defaultThreads());
    data = new float[READ_FLOATS];
    for (int i = 0; i < data.length; i++) {
      data[i] = i & 7;
    }
    sumChunk = this::sumChunk;
    fmaChains = this::fmaChains;
  }

  /** Bytes read: {@link #READ_FLOATS} floats. */
  @Benchmark
  public void memoryRead() {
    pool.forEach(sums.length, sumChunk);
  }

  /** {@code threads} x {@link #FMA_TRIPS} x 12 vector FMAs. */
  @Benchmark
  public void fmaPeak() {
    pool.forEach(pool.threads(), fmaChains);
  }

  private void sumChunk(int index) {
    FloatVector s0 = FloatVector.zero(SPECIES);
    FloatVector s1 = s0;
    FloatVector s2 = s0;
    FloatVector s3 = s0;
    int lanes = SPECIES.length();
    for (int i = index * CHUNK, end = i + CHUNK; i < end; i += 4 * lanes) {
      s0 = s0.add(FloatVector.fromArray(SPECIES, data, i));
      s1 = s1.add(FloatVector.fromArray(SPECIES, data, i + lanes));
      s2 = s2.add(FloatVector.fromArray(SPECIES, data, i + 2 * lanes));
      s3 = s3.add(FloatVector.fromArray(SPECIES, data, i + 3 * lanes));
    }
    sums[index] = s0.add(s1).add(s2).add(s3).reduceLanes(VectorOperators.ADD);
  }

  private void fmaChains(int index) {
    FloatVector x = FloatVector.broadcast(SPECIES, 0.999999f);
    FloatVector y = FloatVector.broadcast(SPECIES, 1e-7f);
    FloatVector a0 = FloatVector.broadcast(SPECIES, index);
    FloatVector a1 = a0.add(1), a2 = a0.add(2), a3 = a0.add(3), a4 = a0.add(4), a5 = a0.add(5);
    FloatVector a6 = a0.add(6), a7 = a0.add(7), a8 = a0.add(8), a9 = a0.add(9), a10 = a0.add(10), a11 = a0.add(11);
    for (int i = 0; i < FMA_TRIPS; i++) {
      a0 = a0.fma(x, y); a1 = a1.fma(x, y); a2 = a2.fma(x, y); a3 = a3.fma(x, y);
      a4 = a4.fma(x, y); a5 = a5.fma(x, y); a6 = a6.fma(x, y); a7 = a7.fma(x, y);
      a8 = a8.fma(x, y); a9 = a9.fma(x, y); a10 = a10.fma(x, y); a11 = a11.fma(x, y);
    }
    FloatVector all = a0.add(a1).add(a2).add(a3).add(a4).add(a5).add(a6).add(a7).add(a8).add(a9).add(a10).add(a11);
    sums[index % sums.length] = all.reduceLanes(VectorOperators.ADD);
  }

  @TearDown(Level.Trial)
  public void close() {
    pool.close();
  }

  /** memoryRead: the bytes it reads; fmaPeak: its flops (2 per lane per FMA) on {@code threads} threads. */
  public static KernelWork work(String method, Map<String, String> params) {
    if (method.endsWith("memoryRead")) {
      return new KernelWork(0, 4L * READ_FLOATS);
    }
    int threads = Integer.parseInt(params.getOrDefault("threads", "0"));
    long used = threads > 0 ? threads : WorkerPool.defaultThreads();
    return new KernelWork(used * FMA_TRIPS * FMA_CHAINS * 2L * SPECIES.length(), 0);
  }
}
