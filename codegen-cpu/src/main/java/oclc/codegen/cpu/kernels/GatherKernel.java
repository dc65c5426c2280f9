package oclc.codegen.cpu.kernels;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import oclc.codegen.cpu.linalg.WorkerPool;
import oclc.ir.DType;

/**
 * Gather along an axis, any element type: the output as [outer, indices, inner], each index's block
 * of {@code inner} elements copied whole (GPT-2's embeddings: one row of the table per token).
 * Negative indices count from the end; one out of range is an error naming it.
 */
final class GatherKernel extends CpuKernel {
  private final int axis;
  private Operand data;
  private Operand indices;
  private Operand out;
  private long outer;
  private long count;
  private long extent;
  private long innerBytes;

  GatherKernel(WorkerPool pool, int axis) {
    super(pool);
    this.axis = axis;
  }

  @Override
  public void bind(Operand[] buffers, long[] scalars) {
    data = buffers[0];
    indices = buffers[1];
    out = buffers[2];
    outer = 1;
    for (int a = 0; a < axis; a++) {
      outer *= data.shape()[a];
    }
    long inner = 1;
    for (int a = axis + 1; a < data.rank(); a++) {
      inner *= data.shape()[a];
    }
    extent = data.shape()[axis];
    innerBytes = inner * data.dtype().byteSize();
    count = indices.elementCount();
    split(outer * count, inner);
  }

  @Override
  protected void compute(long from, long to) {
    MemorySegment source = data.memory();
    MemorySegment target = out.memory();
    boolean wide = indices.dtype() == DType.INT64;
    for (long item = from; item < to; item++) {
      long o = item / count;
      long i = item % count;
      long index =
          wide
              ? indices.memory().get(ValueLayout.JAVA_LONG_UNALIGNED, indices.byteOffset() + i * 8)
              : indices.memory().get(ValueLayout.JAVA_INT_UNALIGNED, indices.byteOffset() + i * 4);
      if (index < 0) {
        index += extent;
      }
      if (index < 0 || index >= extent) {
        throw new oclc.ir.OclcException(
            "Gather: index " + index + " is outside 0.." + (extent - 1));
      }
      MemorySegment.copy(
          source,
          data.byteOffset() + (o * extent + index) * innerBytes,
          target,
          out.byteOffset() + item * innerBytes,
          innerBytes);
    }
  }
}
