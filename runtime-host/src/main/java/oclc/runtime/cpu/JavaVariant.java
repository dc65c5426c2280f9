package oclc.runtime.cpu;

import java.util.ArrayList;
import java.util.List;
import oclc.artifact.Manifest.Argument;
import oclc.artifact.Manifest.Dispatch;
import oclc.artifact.Manifest.NodeLaunches;
import oclc.artifact.Manifest.Variant;
import oclc.codegen.cpu.kernels.CpuKernel;
import oclc.codegen.cpu.kernels.JavaKernels;
import oclc.codegen.cpu.kernels.Operand;
import oclc.codegen.cpu.linalg.WorkerPool;
import oclc.ir.exec.SymbolBindings;
import oclc.runtime.BoundVariant;
import oclc.runtime.LaunchPlan.PlannedDispatch;
import oclc.runtime.LaunchTiming;
import oclc.runtime.MemoryPlanner;
import oclc.runtime.TimingRecord;

/**
 * A Java variant's dispatches, each a kernel object bound to its operands and scalars at plan time.
 */
final class JavaVariant implements BoundVariant<JavaBackend.Buffer> {
  private final Variant variant;
  private final NodeLaunches node;
  private final JavaBackend backend;
  private final CpuKernel[] kernels;

  /**
   * Per dispatch: the buffers it names, in argument order (for the plan's report), and its scalar
   * count.
   */
  private final List<List<String>> buffers;

  private final int[] scalarCounts;

  /**
   * {@code backend}: the operands' memory, and the values the reference fallback holds on the host.
   */
  JavaVariant(
      Variant variant,
      NodeLaunches node,
      JavaExecutable executable,
      WorkerPool pool,
      JavaBackend backend) {
    this.variant = variant;
    this.node = node;
    this.backend = backend;
    this.kernels =
        variant.dispatches().stream()
            .map(d -> JavaKernels.create(executable.kernel(d.kernel()), pool, backend))
            .toArray(CpuKernel[]::new);
    this.buffers = variant.dispatches().stream().map(Dispatch::buffers).toList();
    this.scalarCounts =
        variant.dispatches().stream()
            .mapToInt(d -> d.arguments().size() - d.buffers().size())
            .toArray();
  }

  @Override
  public void bind(SymbolBindings symbols, MemoryPlanner<JavaBackend.Buffer> memory) {
    for (int i = 0; i < kernels.length; i++) {
      Dispatch d = variant.dispatches().get(i);
      Operand[] operands = new Operand[buffers.get(i).size()];
      long[] scalars = new long[scalarCounts[i]];
      int o = 0;
      int n = 0;
      for (Argument a : d.arguments()) {
        switch (a) {
          case Argument.Buffer b -> operands[o++] = backend.operand(b.buffer(), symbols, memory);
          case Argument.Int v -> scalars[n++] = v.value().evaluate(symbols);
          case Argument.Long v -> scalars[n++] = v.value().evaluate(symbols);
          case Argument.Float f -> scalars[n++] = Float.floatToRawIntBits(f.value());
        }
      }
      kernels[i].bind(operands, scalars);
    }
  }

  @Override
  public void launch(List<TimingRecord> timings) {
    for (int i = 0; i < kernels.length; i++) {
      long start = timings == null ? 0 : System.nanoTime();
      kernels[i].run();
      if (timings != null) {
        timings.add(
            new LaunchTiming(
                node.name(),
                node.opType(),
                variant.name(),
                variant.dispatches().get(i).kernel(),
                List.of(kernels[i].work()),
                start,
                System.nanoTime() - start));
      }
    }
  }

  /** Each dispatch with its work items as its one size; skipped when it has none. */
  @Override
  public List<PlannedDispatch> describe() {
    List<PlannedDispatch> dispatches = new ArrayList<>(kernels.length);
    for (int i = 0; i < kernels.length; i++) {
      long work = kernels[i].work();
      dispatches.add(
          new PlannedDispatch(
              variant.dispatches().get(i).kernel(),
              buffers.get(i),
              List.of(work),
              List.of(),
              work == 0));
    }
    return dispatches;
  }
}
