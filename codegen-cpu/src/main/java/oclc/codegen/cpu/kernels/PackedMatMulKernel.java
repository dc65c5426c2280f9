package oclc.codegen.cpu.kernels;

import oclc.codegen.cpu.linalg.MatMulKernel;
import oclc.codegen.cpu.linalg.WorkerPool;

/**
 * MatMul/Gemm over weights packed at compile time: {@code linalg.MatMulKernel}'s GEMV (decode) or
 * GEMM (prefill), as the variant's size class chose. Operands: A, packed B, [bias], C; the rows are
 * A's leading dims.
 */
final class PackedMatMulKernel extends CpuKernel {
  private final MatMulKernel kernel;
  private final boolean bias;

  PackedMatMulKernel(WorkerPool pool, MatMulKernel.Kind kind, int k, int n, boolean bias) {
    super(pool);
    this.kernel = MatMulKernel.create(kind, k, n, bias);
    this.bias = bias;
  }

  @Override
  public void bind(Operand[] buffers, long[] scalars) {
    Operand a = buffers[0];
    Operand packed = buffers[1];
    Operand biasOperand = bias ? buffers[2] : null;
    Operand c = buffers[bias ? 3 : 2];
    int rows = (int) (a.elementCount() / kernel.k());
    kernel.bind(
        a.array(),
        a.floatOffset(),
        kernel.k(),
        rows,
        packed.array(),
        packed.floatOffset(),
        bias ? biasOperand.array() : null,
        bias ? biasOperand.floatOffset() : 0,
        c.array(),
        c.floatOffset(),
        kernel.n());
    split(rows, 0);
  }

  @Override
  public void run() {
    kernel.run(pool);
  }

  @Override
  protected void compute(long from, long to) {
    throw new UnsupportedOperationException("the matmul kernel splits its own work");
  }

  long flops() {
    return kernel.flops();
  }
}
