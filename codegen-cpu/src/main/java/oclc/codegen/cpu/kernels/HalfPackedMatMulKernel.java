package oclc.codegen.cpu.kernels;

import oclc.codegen.cpu.linalg.HalfMatMulKernel;
import oclc.codegen.cpu.linalg.WorkerPool;

/**
 * MatMul/Gemm of float16 activations over float16 weights packed at compile time ({@code
 * linalg.HalfMatMulKernel}): A converted to float32 when the launch reads it, the product summed in
 * float32, C converted back to float16. Operands: A, packed B (float16), [bias (float32)], C.
 */
final class HalfPackedMatMulKernel extends CpuKernel {
  private final HalfMatMulKernel kernel;
  private final boolean bias;
  private Operand a;
  private Operand c;
  private Operand aFloats;
  private Operand cFloats;

  HalfPackedMatMulKernel(WorkerPool pool, int k, int n, boolean bias) {
    super(pool);
    this.kernel = new HalfMatMulKernel(k, n);
    this.bias = bias;
  }

  @Override
  public void bind(Operand[] buffers, long[] scalars) {
    a = buffers[0];
    Operand packed = buffers[1];
    Operand biasOperand = bias ? buffers[2] : null;
    c = buffers[bias ? 3 : 2];
    aFloats = Float16Staging.staged(a);
    cFloats = Float16Staging.staged(c);
    int rows = (int) (a.elementCount() / kernel.k());
    kernel.bind(
        aFloats.array(),
        0,
        kernel.k(),
        rows,
        packed.memory(),
        packed.byteOffset(),
        bias ? biasOperand.array() : null,
        bias ? biasOperand.floatOffset() : 0,
        cFloats.array(),
        0,
        kernel.n());
    split(rows, 0);
  }

  @Override
  public void run() {
    Float16Staging.copy(a, aFloats, true);
    kernel.run(pool);
    Float16Staging.copy(c, cFloats, false);
  }

  @Override
  protected void compute(long from, long to) {
    throw new UnsupportedOperationException("the matmul kernel splits its own work");
  }
}
