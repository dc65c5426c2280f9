package oclc.codegen.cpu.kernels;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import oclc.codegen.cpu.linalg.WorkerPool;
import oclc.ir.DType;
import oclc.ir.Tensor;

/**
 * A float32 kernel run on float16 operands: each float16 operand is stored as 16-bit values (half
 * the bytes of float32), converted to float32 by {@link Float#float16ToFloat} into a scratch array
 * the kernel reads, and the kernel's float16 outputs converted back by {@link Float#floatToFloat16}
 * (round to nearest even) when it is done. The kernel computes and accumulates in float32 as it
 * does for float32 operands, so one place converts for every family whose kernels take float16 this
 * way (the elementwise and row families). The scratch arrays are made at bind, sized to the bound
 * operands; the conversions walk an operand through its strides (a KV cache at its capacity, a
 * permuted view).
 */
final class Float16Staging extends CpuKernel {
  private static final ValueLayout.OfShort HALF = ValueLayout.JAVA_SHORT_UNALIGNED;

  private final CpuKernel kernel;
  private final int outputs;
  private Operand[] halves;
  private Operand[] floats;

  /** {@code kernel} over float32 copies; its last {@code outputs} operands are the ones written. */
  Float16Staging(WorkerPool pool, CpuKernel kernel, int outputs) {
    super(pool);
    this.kernel = kernel;
    this.outputs = outputs;
  }

  @Override
  public void bind(Operand[] buffers, long[] scalars) {
    halves = buffers;
    floats = new Operand[buffers.length];
    for (int i = 0; i < buffers.length; i++) {
      Operand operand = buffers[i];
      floats[i] =
          operand == null || operand.hostHeld() || operand.dtype() != DType.FLOAT16
              ? operand
              : staged(operand);
    }
    kernel.bind(floats, scalars);
    reportWork(kernel.work());
  }

  /** A contiguous float32 operand of the same name and shape over an array of its own. */
  static Operand staged(Operand half) {
    float[] array = new float[(int) Math.max(1, half.elementCount())];
    long[] shape = half.shape().clone();
    return new Operand(
        half.name(),
        DType.FLOAT32,
        array,
        MemorySegment.ofArray(array),
        0,
        shape,
        Tensor.rowMajorStrides(shape));
  }

  @Override
  public void run() {
    int firstOutput = halves.length - outputs;
    for (int i = 0; i < firstOutput; i++) {
      if (floats[i] != halves[i]) {
        copy(halves[i], floats[i], true);
      }
    }
    kernel.run();
    for (int i = firstOutput; i < halves.length; i++) {
      if (floats[i] != halves[i]) {
        copy(halves[i], floats[i], false);
      }
    }
  }

  @Override
  protected void compute(long from, long to) {
    throw new UnsupportedOperationException("the staged kernel splits its own work");
  }

  /**
   * Between a float16 operand (through its strides) and its contiguous float32 copy: {@code load}
   * from the former, else store into it.
   */
  static void copy(Operand half, Operand single, boolean load) {
    long count = half.elementCount();
    if (count == 0) {
      return;
    }
    MemorySegment memory = half.memory();
    float[] values = single.array();
    long[] shape = half.shape();
    long[] strides = half.strides();
    int rank = shape.length;
    int inner = rank == 0 ? 1 : (int) shape[rank - 1];
    long innerStride = rank == 0 ? 1 : strides[rank - 1];
    long[] index = new long[Math.max(0, rank - 1)];
    for (int start = 0; start < count; start += inner) {
      long element = 0;
      for (int axis = 0; axis < index.length; axis++) {
        element += index[axis] * strides[axis];
      }
      long at = half.byteOffset() + element * 2;
      long step = innerStride * 2;
      if (load) {
        for (int j = 0; j < inner; j++) {
          values[start + j] = Float.float16ToFloat(memory.get(HALF, at + j * step));
        }
      } else {
        for (int j = 0; j < inner; j++) {
          memory.set(HALF, at + j * step, Float.floatToFloat16(values[start + j]));
        }
      }
      for (int axis = index.length - 1; axis >= 0 && ++index[axis] == shape[axis]; axis--) {
        index[axis] = 0;
      }
    }
  }
}
