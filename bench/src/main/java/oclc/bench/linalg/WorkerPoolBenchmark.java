package oclc.bench.linalg;

import java.util.Map;
import oclc.bench.ShortRuns;
import oclc.bench.kernels.KernelWork;
import oclc.codegen.cpu.linalg.WorkerPool;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.TearDown;

/**
 * What one {@link WorkerPool#forEach} costs when the work is nothing: the hand-off to the spinning
 * workers, the claims and the wait, back to back as a decode step's launches are ({@code indices}
 * per launch: one per thread, or 24 as a GEMV of N = 3072 has).
 */
public class WorkerPoolBenchmark extends ShortRuns {
  @Param({"0"})
  public int threads;

  @Param({"2", "24"})
  public int indices;

  private WorkerPool pool;
  private final WorkerPool.Task nothing = i -> {};

  @Setup(Level.Trial)
  public void start() {
    pool = new WorkerPool(threads > 0 ? threads : WorkerPool.defaultThreads());
  }

  @Benchmark
  public void emptyLaunch() {
    pool.forEach(indices, nothing);
  }

  @TearDown(Level.Trial)
  public void close() {
    pool.close();
  }

  public static KernelWork work(Map<String, String> params) {
    return new KernelWork(0, 0);
  }
}
