// c[batch, i, j] = Σ a[batch, i, p] · b[batch, p, j] for two activations (attention's Q·Kᵀ and
// P·V); a batch stride of 0 broadcasts an operand. Work-item j of a group takes column j of
// 4 neighbouring rows: neighbouring work-items read neighbouring elements of b, which
// the device loads as one vector, and each element of b serves every row of the item. Items past
// the last column or row compute a copy of the last one and store nothing (no read out of bounds).
__kernel void batched_matmul_r4(__global const float* restrict a,
                           __global const float* restrict b,
                           __global float* restrict c,
                           const int m, const int n, const int k,
                           const int aBatchStride, const int bBatchStride) {
  const int j = get_global_id(0);
  const int firstRow = get_global_id(1) * 4;
  const int batch = get_global_id(2);
  __global const float* column = b + (size_t) batch * bBatchStride + min(j, n - 1);
  __global const float* aBatch = a + (size_t) batch * aBatchStride;
  __global const float* row0 = aBatch + (size_t) min(firstRow + 0, m - 1) * k;
  float sum0 = 0.0f;
  __global const float* row1 = aBatch + (size_t) min(firstRow + 1, m - 1) * k;
  float sum1 = 0.0f;
  __global const float* row2 = aBatch + (size_t) min(firstRow + 2, m - 1) * k;
  float sum2 = 0.0f;
  __global const float* row3 = aBatch + (size_t) min(firstRow + 3, m - 1) * k;
  float sum3 = 0.0f;
  for (int p = 0; p < k; p++) {
    const float x = column[(size_t) p * n];
    sum0 = fma(row0[p], x, sum0);
    sum1 = fma(row1[p], x, sum1);
    sum2 = fma(row2[p], x, sum2);
    sum3 = fma(row3[p], x, sum3);
  }
  if (j < n) {
    __global float* out = c + ((size_t) batch * m + firstRow) * n + j;
    if (firstRow + 0 < m) out[(size_t) 0 * n] = sum0;
    if (firstRow + 1 < m) out[(size_t) 1 * n] = sum1;
    if (firstRow + 2 < m) out[(size_t) 2 * n] = sum2;
    if (firstRow + 3 < m) out[(size_t) 3 * n] = sum3;
  }
}
