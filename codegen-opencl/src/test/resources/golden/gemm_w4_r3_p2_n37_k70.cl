// c[m, n] = a[m, k] · B[k, n]: each work-item computes 3 rows of 2 neighbouring
// panels of 4 columns, its partial sums held in registers; the row tiles are axis 0, so that the
// work-items of a group share their panels; N = 37, K = 70.
__kernel void gemm_w4_r3_p2_n37_k70(__global const float* restrict a,
                           __global const float4* restrict packed,
                           __global float* restrict c,
                           const int m) {
  const int n = 37;
  const int k = 70;
  const int firstRow = get_global_id(0) * 3;
  const int firstPanel = get_global_id(1) * 2;
  __global const float4* column0 = packed + (size_t) (firstPanel + 0) * k;
  __global const float4* column1 = packed + (size_t) (firstPanel + 1) * k;
  __global const float* a0 = a + (size_t) min(firstRow + 0, m - 1) * k;
  __global const float* a1 = a + (size_t) min(firstRow + 1, m - 1) * k;
  __global const float* a2 = a + (size_t) min(firstRow + 2, m - 1) * k;
  float4 sum0_0 = (float4)(0.0f);
  float4 sum0_1 = (float4)(0.0f);
  float4 sum1_0 = (float4)(0.0f);
  float4 sum1_1 = (float4)(0.0f);
  float4 sum2_0 = (float4)(0.0f);
  float4 sum2_1 = (float4)(0.0f);
  for (int i = 0; i < k; i++) {
    const float4 b0 = column0[i];
    const float4 b1 = column1[i];
    const float4 x0 = (float4)(a0[i]);
    sum0_0 = fma(x0, b0, sum0_0);
    sum0_1 = fma(x0, b1, sum0_1);
    const float4 x1 = (float4)(a1[i]);
    sum1_0 = fma(x1, b0, sum1_0);
    sum1_1 = fma(x1, b1, sum1_1);
    const float4 x2 = (float4)(a2[i]);
    sum2_0 = fma(x2, b0, sum2_0);
    sum2_1 = fma(x2, b1, sum2_1);
  }
  if (firstRow + 0 < m) {
    __global float* out = c + (size_t) (firstRow + 0) * n;
    if ((firstPanel + 0) * 4 + 0 < n) out[(firstPanel + 0) * 4 + 0] = sum0_0.s0;
    if ((firstPanel + 0) * 4 + 1 < n) out[(firstPanel + 0) * 4 + 1] = sum0_0.s1;
    if ((firstPanel + 0) * 4 + 2 < n) out[(firstPanel + 0) * 4 + 2] = sum0_0.s2;
    if ((firstPanel + 0) * 4 + 3 < n) out[(firstPanel + 0) * 4 + 3] = sum0_0.s3;
    if ((firstPanel + 1) * 4 + 0 < n) out[(firstPanel + 1) * 4 + 0] = sum0_1.s0;
    if ((firstPanel + 1) * 4 + 1 < n) out[(firstPanel + 1) * 4 + 1] = sum0_1.s1;
    if ((firstPanel + 1) * 4 + 2 < n) out[(firstPanel + 1) * 4 + 2] = sum0_1.s2;
    if ((firstPanel + 1) * 4 + 3 < n) out[(firstPanel + 1) * 4 + 3] = sum0_1.s3;
  }
  if (firstRow + 1 < m) {
    __global float* out = c + (size_t) (firstRow + 1) * n;
    if ((firstPanel + 0) * 4 + 0 < n) out[(firstPanel + 0) * 4 + 0] = sum1_0.s0;
    if ((firstPanel + 0) * 4 + 1 < n) out[(firstPanel + 0) * 4 + 1] = sum1_0.s1;
    if ((firstPanel + 0) * 4 + 2 < n) out[(firstPanel + 0) * 4 + 2] = sum1_0.s2;
    if ((firstPanel + 0) * 4 + 3 < n) out[(firstPanel + 0) * 4 + 3] = sum1_0.s3;
    if ((firstPanel + 1) * 4 + 0 < n) out[(firstPanel + 1) * 4 + 0] = sum1_1.s0;
    if ((firstPanel + 1) * 4 + 1 < n) out[(firstPanel + 1) * 4 + 1] = sum1_1.s1;
    if ((firstPanel + 1) * 4 + 2 < n) out[(firstPanel + 1) * 4 + 2] = sum1_1.s2;
    if ((firstPanel + 1) * 4 + 3 < n) out[(firstPanel + 1) * 4 + 3] = sum1_1.s3;
  }
  if (firstRow + 2 < m) {
    __global float* out = c + (size_t) (firstRow + 2) * n;
    if ((firstPanel + 0) * 4 + 0 < n) out[(firstPanel + 0) * 4 + 0] = sum2_0.s0;
    if ((firstPanel + 0) * 4 + 1 < n) out[(firstPanel + 0) * 4 + 1] = sum2_0.s1;
    if ((firstPanel + 0) * 4 + 2 < n) out[(firstPanel + 0) * 4 + 2] = sum2_0.s2;
    if ((firstPanel + 0) * 4 + 3 < n) out[(firstPanel + 0) * 4 + 3] = sum2_0.s3;
    if ((firstPanel + 1) * 4 + 0 < n) out[(firstPanel + 1) * 4 + 0] = sum2_1.s0;
    if ((firstPanel + 1) * 4 + 1 < n) out[(firstPanel + 1) * 4 + 1] = sum2_1.s1;
    if ((firstPanel + 1) * 4 + 2 < n) out[(firstPanel + 1) * 4 + 2] = sum2_1.s2;
    if ((firstPanel + 1) * 4 + 3 < n) out[(firstPanel + 1) * 4 + 3] = sum2_1.s3;
  }
}
