package oclc.codegen.cpu.kernels;

import java.lang.foreign.MemorySegment;
import oclc.ir.Tensor;

/**
 * Copies between tensors (dense, row-major) and operands (through their strides): inputs, reads,
 * the fallback.
 */
public final class TensorCopies {
  private TensorCopies() {}

  /** An operand's elements as a tensor of its shape (read through its strides). */
  public static Tensor toTensor(Operand o) {
    return toTensor(o, null);
  }

  /**
   * The same, into {@code reuse}'s memory when it is of the operand's type and has room for it
   * (else a new tensor), keeping all of that memory.
   */
  public static Tensor toTensor(Operand o, Tensor reuse) {
    int size = (int) (o.elementCount() * o.dtype().byteSize());
    java.nio.ByteBuffer into = Tensor.memoryFor(reuse, o.dtype(), size, false);
    if (size > 0) {
      blocks(o, MemorySegment.ofBuffer(into.duplicate().limit(size)), true);
    }
    return Tensor.inMemory(o.dtype(), o.shape(), into);
  }

  /** A tensor's elements into an operand's memory (through its strides). */
  public static void copy(Tensor t, Operand o) {
    if (t.size() > 0) {
      blocks(o, MemorySegment.ofBuffer(t.data()), false);
    }
  }

  private static void blocks(Operand o, MemorySegment dense, boolean out) {
    int bytes = o.dtype().byteSize();
    Walk walk =
        Walk.of(o.shape(), new long[][] {oclc.ir.Tensor.rowMajorStrides(o.shape()), o.strides()});
    boolean runs = walk.innerStrides[0] == 1 && walk.innerStrides[1] == 1;
    for (int r = 0; r < walk.rows(); r++) {
      if (runs) {
        long d = (long) walk.rowOffsets[0][r] * bytes;
        long s = o.byteOffset() + (long) walk.rowOffsets[1][r] * bytes;
        long length = (long) walk.inner * bytes;
        if (out) {
          MemorySegment.copy(o.memory(), s, dense, d, length);
        } else {
          MemorySegment.copy(dense, d, o.memory(), s, length);
        }
        continue;
      }
      for (int i = 0; i < walk.inner; i++) {
        long d = ((long) walk.rowOffsets[0][r] + (long) i * walk.innerStrides[0]) * bytes;
        long s =
            o.byteOffset()
                + ((long) walk.rowOffsets[1][r] + (long) i * walk.innerStrides[1]) * bytes;
        if (out) {
          MemorySegment.copy(o.memory(), s, dense, d, bytes);
        } else {
          MemorySegment.copy(dense, d, o.memory(), s, bytes);
        }
      }
    }
  }
}
