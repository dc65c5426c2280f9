package oclc.codegen.cpu.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;
import oclc.codegen.cpu.linalg.WorkerPool;

/**
 * [..., M, K] · [..., K, N] of two float32 activations (attention's Q·Kᵀ and P·V): per batch and
 * output row, the row accumulated from B's rows with vector fmas along N. Operands are read through
 * their strides (a KV cache at its capacity); an operand whose batch dims are all 1 is shared by
 * every batch.
 */
final class BatchedMatMulKernel extends CpuKernel {
  private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
  private static final int L = S.length();

  private float[] a;
  private float[] b;
  private float[] c;
  private int[] aBatch;
  private int[] bBatch;
  private int aOffset;
  private int bOffset;
  private int cOffset;
  private int m;
  private int k;
  private int n;
  private int aRow;
  private int aColumn;
  private int bRow;
  private int bColumn;

  BatchedMatMulKernel(WorkerPool pool) {
    super(pool);
  }

  @Override
  public void bind(Operand[] buffers, long[] scalars) {
    Operand x = buffers[0];
    Operand y = buffers[1];
    Operand out = buffers[2];
    int rank = out.rank();
    m = (int) out.shape()[rank - 2];
    n = (int) out.shape()[rank - 1];
    k = (int) x.shape()[x.rank() - 1];
    a = x.array();
    b = y.array();
    c = out.array();
    aOffset = x.floatOffset();
    bOffset = y.floatOffset();
    cOffset = out.floatOffset();
    aRow = (int) x.strides()[x.rank() - 2];
    aColumn = (int) x.strides()[x.rank() - 1];
    bRow = (int) y.strides()[y.rank() - 2];
    bColumn = (int) y.strides()[y.rank() - 1];
    long[] batchShape = java.util.Arrays.copyOf(out.shape(), rank - 2);
    aBatch = batchOffsets(x, batchShape);
    bBatch = batchOffsets(y, batchShape);
    split((long) aBatch.length * m, (long) k * n);
  }

  /** The first element of each batch's matrix, broadcasting batch dims of size 1. */
  private static int[] batchOffsets(Operand operand, long[] batchShape) {
    long[] strides = new long[batchShape.length];
    int shift = batchShape.length - (operand.rank() - 2);
    for (int axis = 0; axis < batchShape.length; axis++) {
      int own = axis - shift;
      strides[axis] = own < 0 || operand.shape()[own] == 1 ? 0 : operand.strides()[own];
    }
    int count = 1;
    for (long d : batchShape) {
      count *= (int) d;
    }
    int[] offsets = new int[count];
    for (int batch = 0; batch < count; batch++) {
      long rest = batch;
      long offset = 0;
      for (int axis = batchShape.length - 1; axis >= 0; axis--) {
        offset += rest % batchShape[axis] * strides[axis];
        rest /= batchShape[axis];
      }
      offsets[batch] = (int) offset;
    }
    return offsets;
  }

  @Override
  protected void compute(long from, long to) {
    for (long item = from; item < to; item++) {
      int batch = (int) (item / m);
      int row = (int) (item % m);
      int aStart = aOffset + aBatch[batch] + row * aRow;
      int bStart = bOffset + bBatch[batch];
      int cStart = cOffset + (batch * m + row) * n;
      if (bColumn == 1) {
        rowTimesRows(aStart, bStart, cStart);
      } else {
        rowDotColumns(aStart, bStart, cStart);
      }
    }
  }

  /**
   * C[row, :] = Σ_k A[row, k] · B[k, :], B's rows contiguous: vector fmas along N, in blocks kept
   * in registers.
   */
  private void rowTimesRows(int aStart, int bStart, int cStart) {
    int j = 0;
    for (int bound = n - 4 * L; j <= bound; j += 4 * L) {
      FloatVector s0 = FloatVector.zero(S);
      FloatVector s1 = FloatVector.zero(S);
      FloatVector s2 = FloatVector.zero(S);
      FloatVector s3 = FloatVector.zero(S);
      for (int p = 0; p < k; p++) {
        FloatVector av = FloatVector.broadcast(S, a[aStart + p * aColumn]);
        int bp = bStart + p * bRow + j;
        s0 = FloatVector.fromArray(S, b, bp).fma(av, s0);
        s1 = FloatVector.fromArray(S, b, bp + L).fma(av, s1);
        s2 = FloatVector.fromArray(S, b, bp + 2 * L).fma(av, s2);
        s3 = FloatVector.fromArray(S, b, bp + 3 * L).fma(av, s3);
      }
      s0.intoArray(c, cStart + j);
      s1.intoArray(c, cStart + j + L);
      s2.intoArray(c, cStart + j + 2 * L);
      s3.intoArray(c, cStart + j + 3 * L);
    }
    for (int bound = n - L; j <= bound; j += L) {
      FloatVector s = FloatVector.zero(S);
      for (int p = 0; p < k; p++) {
        s =
            FloatVector.fromArray(S, b, bStart + p * bRow + j)
                .fma(FloatVector.broadcast(S, a[aStart + p * aColumn]), s);
      }
      s.intoArray(c, cStart + j);
    }
    for (; j < n; j++) {
      float s = 0;
      for (int p = 0; p < k; p++) {
        s += a[aStart + p * aColumn] * b[bStart + p * bRow + j];
      }
      c[cStart + j] = s;
    }
  }

  /**
   * B read along K with a stride (B transposed in place): each column a dot product, vectorized
   * along K when A's row is contiguous.
   */
  private void rowDotColumns(int aStart, int bStart, int cStart) {
    for (int j = 0; j < n; j++) {
      int bp = bStart + j * bColumn;
      float s = 0;
      if (aColumn == 1 && bRow == 1) {
        FloatVector acc = FloatVector.zero(S);
        int p = 0;
        for (int bound = S.loopBound(k); p < bound; p += L) {
          acc =
              FloatVector.fromArray(S, a, aStart + p).fma(FloatVector.fromArray(S, b, bp + p), acc);
        }
        s = acc.reduceLanes(jdk.incubator.vector.VectorOperators.ADD);
        for (; p < k; p++) {
          s += a[aStart + p] * b[bp + p];
        }
      } else {
        for (int p = 0; p < k; p++) {
          s += a[aStart + p * aColumn] * b[bp + p * bRow];
        }
      }
      c[cStart + j] = s;
    }
  }
}
