// c[batch, i, j] = Σ a[batch, i, k] · b[batch, k, j] for two activations (attention's Q·Kᵀ and
// P·V); a batch stride of 0 broadcasts an operand. One work-item per output element.
__kernel void batched_matmul(__global const float* restrict a,
                           __global const float* restrict b,
                           __global float* restrict c,
                           const int m, const int n, const int k,
                           const int aBatchStride, const int bBatchStride) {
  const int j = get_global_id(0);
  const int i = get_global_id(1);
  const int batch = get_global_id(2);
  __global const float* row = a + (size_t) batch * aBatchStride + (size_t) i * k;
  __global const float* column = b + (size_t) batch * bBatchStride + j;
  float sum = 0.0f;
  for (int p = 0; p < k; p++) {
    sum = fma(row[p], column[(size_t) p * n], sum);
  }
  c[((size_t) batch * m + i) * n + j] = sum;
}
