package oclc.codegen.cpu.kernels;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import oclc.codegen.cpu.linalg.WorkerPool;

/**
 * A strided copy of any element type (Transpose, Slice, Split, Concat, Expand, the KV cache
 * append): the dispatch's scalars give the offsets and, per axis, the extent and the input and
 * output strides ({@code CopyGeometry}). Rows of the merged axes split over the pool; a run that is
 * contiguous on both sides is one block copy.
 */
final class StridedCopyKernel extends CpuKernel {
  private final int axes;
  private Operand from;
  private Operand to;
  private Walk walk;
  private long inputOffset;
  private long outputOffset;
  private int elementBytes;

  StridedCopyKernel(WorkerPool pool, int axes) {
    super(pool);
    this.axes = axes;
  }

  @Override
  public void bind(Operand[] buffers, long[] scalars) {
    from = buffers[0];
    to = buffers[1];
    inputOffset = scalars[0];
    outputOffset = scalars[1];
    long[] extents = java.util.Arrays.copyOfRange(scalars, 2, 2 + axes);
    long[] inputStrides = java.util.Arrays.copyOfRange(scalars, 2 + axes, 2 + 2 * axes);
    long[] outputStrides = java.util.Arrays.copyOfRange(scalars, 2 + 2 * axes, 2 + 3 * axes);
    long elements = 1;
    for (long e : extents) {
      elements *= e;
    }
    walk = Walk.of(extents, new long[][] {outputStrides, inputStrides});
    elementBytes = from.dtype().byteSize();
    split(elements == 0 ? 0 : walk.rows(), walk.inner);
    reportWork(elements);
  }

  @Override
  protected void compute(long first, long last) {
    MemorySegment source = from.memory();
    MemorySegment target = to.memory();
    int outStride = walk.innerStrides[0];
    int inStride = walk.innerStrides[1];
    for (int r = (int) first; r < last; r++) {
      long in = from.byteOffset() + (inputOffset + walk.rowOffsets[1][r]) * elementBytes;
      long out = to.byteOffset() + (outputOffset + walk.rowOffsets[0][r]) * elementBytes;
      if (inStride == 1 && outStride == 1) {
        MemorySegment.copy(source, in, target, out, (long) walk.inner * elementBytes);
        continue;
      }
      for (int i = 0; i < walk.inner; i++) {
        long s = in + (long) i * inStride * elementBytes;
        long t = out + (long) i * outStride * elementBytes;
        switch (elementBytes) {
          case 4 ->
              target.set(
                  ValueLayout.JAVA_INT_UNALIGNED, t, source.get(ValueLayout.JAVA_INT_UNALIGNED, s));
          case 8 ->
              target.set(
                  ValueLayout.JAVA_LONG_UNALIGNED,
                  t,
                  source.get(ValueLayout.JAVA_LONG_UNALIGNED, s));
          case 2 ->
              target.set(
                  ValueLayout.JAVA_SHORT_UNALIGNED,
                  t,
                  source.get(ValueLayout.JAVA_SHORT_UNALIGNED, s));
          default -> MemorySegment.copy(source, s, target, t, elementBytes);
        }
      }
    }
  }
}
