// c[m, n] = a[m, k] · B[k, n]: each work-item computes 4 rows of one
// panel of 4 columns, its partial sums held in registers; N = 37, K = 70.
__kernel void gemm_w4_r4_n37_k70(__global const float* restrict a,
                           __global const float4* restrict packed,
                           __global float* restrict c,
                           const int m) {
  const int n = 37;
  const int k = 70;
  const int panel = get_global_id(0);
  const int firstRow = get_global_id(1) * 4;
  __global const float4* column = packed + (size_t) panel * k;
  __global const float* a0 = a + (size_t) min(firstRow + 0, m - 1) * k;
  __global const float* a1 = a + (size_t) min(firstRow + 1, m - 1) * k;
  __global const float* a2 = a + (size_t) min(firstRow + 2, m - 1) * k;
  __global const float* a3 = a + (size_t) min(firstRow + 3, m - 1) * k;
  float4 sum0 = (float4)(0.0f);
  float4 sum1 = (float4)(0.0f);
  float4 sum2 = (float4)(0.0f);
  float4 sum3 = (float4)(0.0f);
  for (int i = 0; i < k; i++) {
    const float4 b = column[i];
    sum0 = fma((float4)(a0[i]), b, sum0);
    sum1 = fma((float4)(a1[i]), b, sum1);
    sum2 = fma((float4)(a2[i]), b, sum2);
    sum3 = fma((float4)(a3[i]), b, sum3);
  }
  const int first = panel * 4;
  if (firstRow + 0 < m) {
    __global float* out = c + (size_t) (firstRow + 0) * n;
    if (first + 0 < n) out[first + 0] = sum0.s0;
    if (first + 1 < n) out[first + 1] = sum0.s1;
    if (first + 2 < n) out[first + 2] = sum0.s2;
    if (first + 3 < n) out[first + 3] = sum0.s3;
  }
  if (firstRow + 1 < m) {
    __global float* out = c + (size_t) (firstRow + 1) * n;
    if (first + 0 < n) out[first + 0] = sum1.s0;
    if (first + 1 < n) out[first + 1] = sum1.s1;
    if (first + 2 < n) out[first + 2] = sum1.s2;
    if (first + 3 < n) out[first + 3] = sum1.s3;
  }
  if (firstRow + 2 < m) {
    __global float* out = c + (size_t) (firstRow + 2) * n;
    if (first + 0 < n) out[first + 0] = sum2.s0;
    if (first + 1 < n) out[first + 1] = sum2.s1;
    if (first + 2 < n) out[first + 2] = sum2.s2;
    if (first + 3 < n) out[first + 3] = sum2.s3;
  }
  if (firstRow + 3 < m) {
    __global float* out = c + (size_t) (firstRow + 3) * n;
    if (first + 0 < n) out[first + 0] = sum3.s0;
    if (first + 1 < n) out[first + 1] = sum3.s1;
    if (first + 2 < n) out[first + 2] = sum3.s2;
    if (first + 3 < n) out[first + 3] = sum3.s3;
  }
}
