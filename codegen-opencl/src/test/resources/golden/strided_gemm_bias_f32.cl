// out[batch, i, j] = alpha · Σ_p a[i, j, p] · b[i, j, p] + beta · c[i, j], every operand addressed by a
// stride per axis (0 where it does not vary: a matrix's a[i, p] and b[p, j], a broadcast axis; a
// transposed operand swaps two; a repeated einsum label adds them), each batch's operands at the
// element offsets of its row of the table, which the compiler filled. One work-item per output
// element: the products the packed and batched kernels do not take.
__kernel void strided_gemm_bias_f32(__global const float* restrict a, __global const float* restrict b,
                           __global const float* restrict c, __global float* restrict out,
                           __global const int* restrict offsets,
                           const int m, const int n, const int k,
                           const int aRow, const int aColumn, const int aInner,
                           const int bRow, const int bColumn, const int bInner,
                           const int cRow, const int cColumn,
                           const float alpha, const float beta) {
  const int j = get_global_id(0);
  const int i = get_global_id(1);
  const int batch = get_global_id(2);
  __global const int* offset = offsets + 3 * batch;
  __global const float* x = a + offset[0] + (size_t) i * aRow + (size_t) j * aColumn;
  __global const float* y = b + offset[1] + (size_t) i * bRow + (size_t) j * bColumn;
  float sum = 0;
  for (int p = 0; p < k; p++) {
    sum += x[(size_t) p * aInner] * y[(size_t) p * bInner];
  }
  out[((size_t) batch * m + i) * n + j] = alpha * sum + beta * c[offset[2] + (size_t) i * cRow + (size_t) j * cColumn];
}
