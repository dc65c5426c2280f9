// A plain dense (MatMul) kernel: Y[b, m, n] = sum_k A[b, m, k] * B[b, k, n], row-major, one
// work-item per output element. A batch stride of 0 shares an operand across the batches (the
// weights of a layer); the strides come from oclc, so the attention products that read the KV
// cache work too.
//
// oclc: arguments A, B, Y, M, N, K, aBatchStride, bBatchStride
// oclc: global N, M, batches

__kernel void user_dense(__global const float* restrict a,
                         __global const float* restrict b,
                         __global float* restrict y,
                         const int m, const int n, const int k,
                         const int aBatchStride, const int bBatchStride) {
  const int column = get_global_id(0);
  const int row = get_global_id(1);
  const int batch = get_global_id(2);
  __global const float* aRow = a + (size_t) batch * aBatchStride + (size_t) row * k;
  __global const float* bColumn = b + (size_t) batch * bBatchStride + column;
  float sum = 0.0f;
  for (int p = 0; p < k; p++) {
    sum = fma(aRow[p], bColumn[(size_t) p * n], sum);
  }
  y[((size_t) batch * m + row) * n + column] = sum;
}
