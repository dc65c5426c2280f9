// c[batch, i, j] = Σ a[batch, i, p] · b[batch, p, j] for two activations (attention's Q·Kᵀ and
// P·V); a batch stride of 0 broadcasts an operand. Each work-item computes 4 neighbouring
// columns of one row, so that a's element is loaded once for all of them.
__kernel void batched_matmul_c4(__global const float* restrict a,
                           __global const float* restrict b,
                           __global float* restrict c,
                           const int m, const int n, const int k,
                           const int aBatchStride, const int bBatchStride) {
  const int firstColumn = get_global_id(0) * 4;
  const int i = get_global_id(1);
  const int batch = get_global_id(2);
  const int width = min(4, n - firstColumn);
  __global const float* row = a + (size_t) batch * aBatchStride + (size_t) i * k;
  __global const float* column = b + (size_t) batch * bBatchStride + firstColumn;
  float sum[4];
  for (int j = 0; j < 4; j++) {
    sum[j] = 0.0f;
  }
  for (int p = 0; p < k; p++) {
    const float x = row[p];
    __global const float* bRow = column + (size_t) p * n;
    for (int j = 0; j < width; j++) {
      sum[j] = fma(x, bRow[j], sum[j]);
    }
  }
  __global float* out = c + ((size_t) batch * m + i) * n + firstColumn;
  for (int j = 0; j < width; j++) {
    out[j] = sum[j];
  }
}
