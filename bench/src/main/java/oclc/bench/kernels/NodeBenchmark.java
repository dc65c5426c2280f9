package oclc.bench.kernels;

import oclc.bench.ShortRuns;
import oclc.cache.KernelCache;
import oclc.runtime.Devices;
import oclc.runtime.OpenClContext;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.TearDown;

/**
 * One node's kernels timed through the public host API: {@code Session.launch} of the planned
 * variant and {@code finish}, so a score is what one launch costs the host end to end (enqueue, the
 * device's work, the wait). Subclasses give the node; {@code JmhBench} turns the scores into
 * GFLOP/s and GB/s. Short settings by default (2 forks × 3 iterations of 1 s); JMH's own options
 * override them.
 */
public abstract class NodeBenchmark extends ShortRuns {
  private OpenClContext device;
  private OneNodeModel model;

  /** The node to time, for the benchmark's parameters. */
  protected abstract OneNodeModel.Spec spec();

  @Setup(Level.Trial)
  public void compile() {
    device = OpenClContext.open(Devices.select(System.getProperty("oclc.bench.device", "cpu")));
    model =
        OneNodeModel.compile(
            spec(), device, new KernelCache(KernelCache.defaultDirectory(System.getenv())));
    model.launch(); // POCL compiles a work-group function per local size at the first launch
    model.finish();
  }

  @Benchmark
  public void launchAndFinish() {
    model.launch();
    model.finish();
  }

  /** The compiled node, for benchmarks that launch it their own way. */
  protected OneNodeModel model() {
    return model;
  }

  @TearDown(Level.Trial)
  public void release() {
    if (model != null) {
      model.close();
    }
    if (device != null) {
      device.close();
    }
  }
}
