// c[n] = a[k] · B[k, n] + bias[n]: one work-item per panel of 16 columns; N = 192, K = 66.
// 4 partial sums over interleaved k, so that the fmas do not wait on each other.
__kernel void gemv_w16_bias_n192_k66(__global const float* restrict a,
                           __global const float16* restrict packed, __global const float* restrict bias,
                           __global float* restrict c) {
  const int n = 192;
  const int k = 66;
  const int firstPanel = get_global_id(0) * 1;
  __global const float16* column0 = packed + (size_t) (firstPanel + 0) * k;
  float16 sum0_0 = (float16)(0.0f);
  float16 sum1_0 = (float16)(0.0f);
  float16 sum2_0 = (float16)(0.0f);
  float16 sum3_0 = (float16)(0.0f);
  int i = 0;
  for (; i + 4 <= k; i += 4) {
    const float16 x0 = (float16)(a[i + 0]);
    const float16 x1 = (float16)(a[i + 1]);
    const float16 x2 = (float16)(a[i + 2]);
    const float16 x3 = (float16)(a[i + 3]);
    sum0_0 = fma(x0, column0[i + 0], sum0_0);
    sum1_0 = fma(x1, column0[i + 1], sum1_0);
    sum2_0 = fma(x2, column0[i + 2], sum2_0);
    sum3_0 = fma(x3, column0[i + 3], sum3_0);
  }
  for (; i < k; i++) {
    const float16 x = (float16)(a[i]);
    sum0_0 = fma(x, column0[i], sum0_0);
  }
  {
    const float16 sum = sum0_0 + sum1_0 + sum2_0 + sum3_0;
    const int first = (firstPanel + 0) * 16;
    if (first + 0 < n) c[first + 0] = sum.s0 + bias[first + 0];
    if (first + 1 < n) c[first + 1] = sum.s1 + bias[first + 1];
    if (first + 2 < n) c[first + 2] = sum.s2 + bias[first + 2];
    if (first + 3 < n) c[first + 3] = sum.s3 + bias[first + 3];
    if (first + 4 < n) c[first + 4] = sum.s4 + bias[first + 4];
    if (first + 5 < n) c[first + 5] = sum.s5 + bias[first + 5];
    if (first + 6 < n) c[first + 6] = sum.s6 + bias[first + 6];
    if (first + 7 < n) c[first + 7] = sum.s7 + bias[first + 7];
    if (first + 8 < n) c[first + 8] = sum.s8 + bias[first + 8];
    if (first + 9 < n) c[first + 9] = sum.s9 + bias[first + 9];
    if (first + 10 < n) c[first + 10] = sum.sa + bias[first + 10];
    if (first + 11 < n) c[first + 11] = sum.sb + bias[first + 11];
    if (first + 12 < n) c[first + 12] = sum.sc + bias[first + 12];
    if (first + 13 < n) c[first + 13] = sum.sd + bias[first + 13];
    if (first + 14 < n) c[first + 14] = sum.se + bias[first + 14];
    if (first + 15 < n) c[first + 15] = sum.sf + bias[first + 15];
  }
}
