package oclc.bench.kernels;

import java.util.List;
import java.util.Map;
import oclc.bench.kernels.OneNodeModel.Operand;
import oclc.ir.Attributes;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.OperationsPerInvocation;

/**
 * The fixed cost of one launch: Relu of 64 floats, where the work is nothing and what is timed is
 * {@code Session.launch}, the enqueue, POCL's dispatch and the wait; and the same per launch when
 * 64 launches are enqueued before one wait, as a model's step does.
 */
public class LaunchBenchmark extends NodeBenchmark {
  static final int BATCH = 64;

  @Benchmark
  @OperationsPerInvocation(BATCH)
  public void launchesThenOneFinish() {
    for (int i = 0; i < BATCH; i++) {
      model().launch();
    }
    model().finish();
  }

  @Override
  protected OneNodeModel.Spec spec() {
    return new OneNodeModel.Spec(
        "Relu", Attributes.NONE, 14, List.of(Operand.input("x", 64)), new long[] {64});
  }

  public static KernelWork work(Map<String, String> params) {
    return new KernelWork(64, 8 * 64);
  }
}
