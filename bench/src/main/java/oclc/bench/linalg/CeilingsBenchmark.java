package oclc.bench.linalg;

import java.util.Map;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;
import oclc.bench.ShortRuns;
import oclc.bench.kernels.KernelWork;
import oclc.bench.machine.MachineCeilings;
import oclc.codegen.cpu.linalg.WorkerPool;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.TearDown;

/**
 * This machine's ceilings, measured in Java on the same worker pool as the kernels: {@code
 * memoryRead} sums 1 GB of floats (beyond every cache) with wide vectors, {@code fmaPeak} runs 12
 * independent chains of vector FMAs per thread on registers only. {@code JmhBench} prints the other
 * benchmarks' GB/s and GFLOP/s as fractions of these when they are in the same run.
 */
public class CeilingsBenchmark extends ShortRuns {
  static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;
  static final int READ_FLOATS = 1 << 28;

  /** Floats one index of the read sums: 1 MB. */
  static final int CHUNK = 1 << 18;

  /**
   * FMA loop trips per thread and launch, 12 vector FMAs each: short, so that C2 compiles the
   * method whole (an on-stack-replaced loop boxed its vectors).
   */
  static final int FMA_TRIPS = 1 << 14;

  static final int FMA_CHAINS = MachineCeilings.CHAINS;

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
    sums[index] = MachineCeilings.sumChunk(data, index * CHUNK, (index + 1) * CHUNK);
  }

  private void fmaChains(int index) {
    sums[index % sums.length] = MachineCeilings.fmaBlock(FMA_TRIPS);
  }

  @TearDown(Level.Trial)
  public void close() {
    pool.close();
  }

  /**
   * memoryRead: the bytes it reads; fmaPeak: its flops (2 per lane per FMA) on {@code threads}
   * threads.
   */
  public static KernelWork work(String method, Map<String, String> params) {
    if (method.endsWith("memoryRead")) {
      return new KernelWork(0, 4L * READ_FLOATS);
    }
    int threads = Integer.parseInt(params.getOrDefault("threads", "0"));
    long used = threads > 0 ? threads : WorkerPool.defaultThreads();
    return new KernelWork(used * FMA_TRIPS * FMA_CHAINS * 2L * SPECIES.length(), 0);
  }
}
