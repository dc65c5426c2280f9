package oclc.codegen.cpu.kernels;

import java.lang.foreign.ValueLayout;
import oclc.codegen.cpu.linalg.WorkerPool;
import oclc.ir.DType;

/**
 * Range of int64 or int32: {@code start + i·delta}, start and delta the dispatch's scalars (dims
 * over the symbols: GPT-2's position ids start at {@code past_sequence_length}).
 */
final class RangeKernel extends CpuKernel {
  private Operand out;
  private long start;
  private long delta;

  RangeKernel(WorkerPool pool) {
    super(pool);
  }

  @Override
  public void bind(Operand[] buffers, long[] scalars) {
    out = buffers[0];
    start = scalars[0];
    delta = scalars[1];
    split(out.elementCount(), 1);
  }

  @Override
  protected void compute(long from, long to) {
    var memory = out.memory();
    for (long i = from; i < to; i++) {
      if (out.dtype() == DType.INT64) {
        memory.set(ValueLayout.JAVA_LONG_UNALIGNED, out.byteOffset() + i * 8, start + i * delta);
      } else {
        memory.set(
            ValueLayout.JAVA_INT_UNALIGNED, out.byteOffset() + i * 4, (int) (start + i * delta));
      }
    }
  }
}
