package oclc.codegen.cpu.kernels;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import oclc.codegen.cpu.linalg.WorkerPool;

/**
 * Element i of the output holds {@code start + i·delta}, stored at the element's width (1, 2, 4 or
 * 8 bytes), start and delta the dispatch's scalars: Range of int64 or int32 (dims over the symbols:
 * GPT-2's position ids start at {@code past_sequence_length}), and ConstantOfShape's fill of any
 * type (delta 0, start the value's bits).
 */
public final class SequenceKernel extends CpuKernel {
  private Operand output;
  private long start;
  private long delta;

  public SequenceKernel(WorkerPool pool) {
    super(pool);
  }

  @Override
  public void bind(Operand[] buffers, long[] scalars) {
    output = buffers[0];
    start = scalars[0];
    delta = scalars[1];
    if (!output.contiguous()) {
      throw new IllegalStateException("the sequence writes its output row-major");
    }
    split(output.elementCount(), 1);
  }

  @Override
  protected void compute(long from, long to) {
    MemorySegment memory = output.memory();
    int size = output.dtype().byteSize();
    for (long i = from; i < to; i++) {
      long at = output.byteOffset() + i * size;
      long value = start + i * delta;
      switch (size) {
        case 1 -> memory.set(ValueLayout.JAVA_BYTE, at, (byte) value);
        case 2 -> memory.set(ValueLayout.JAVA_SHORT_UNALIGNED, at, (short) value);
        case 4 -> memory.set(ValueLayout.JAVA_INT_UNALIGNED, at, (int) value);
        default -> memory.set(ValueLayout.JAVA_LONG_UNALIGNED, at, value);
      }
    }
  }
}
