// out[batch, i, j] = Σ_p a[i, j, p], every operand addressed by a
// stride per axis (0 where it does not vary: a matrix's a[i, p] and b[p, j], a broadcast axis; a
// transposed operand swaps two; a repeated einsum label adds them), each batch's operands at the
// element offsets of its row of the table, which the compiler filled. One work-item per output
// element: the products the packed and batched kernels do not take.
__kernel void strided_sum_f64(__global const double* restrict a,
__global double* restrict out,
                           __global const int* restrict offsets,
                           const int m, const int n, const int k,
                           const int aRow, const int aColumn, const int aInner) {
  const int j = get_global_id(0);
  const int i = get_global_id(1);
  const int batch = get_global_id(2);
  __global const int* offset = offsets + 3 * batch;
  __global const double* x = a + offset[0] + (size_t) i * aRow + (size_t) j * aColumn;
  double sum = 0;
  for (int p = 0; p < k; p++) {
    sum += x[(size_t) p * aInner];
  }
  out[((size_t) batch * m + i) * n + j] = sum;
}
