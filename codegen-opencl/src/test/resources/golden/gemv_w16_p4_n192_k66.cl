// c[n] = a[k] · B[k, n]: one work-item per 4 panels of 16 columns; N = 192, K = 66.
// 2 partial sums over interleaved k, so that the fmas do not wait on each other.
// The work-item's panels are 4 streams through memory at once, which keep a core's
// prefetchers busier than one.
__kernel void gemv_w16_p4_n192_k66(__global const float* restrict a,
                           __global const float16* restrict packed,
                           __global float* restrict c) {
  const int n = 192;
  const int k = 66;
  const int firstPanel = get_global_id(0) * 4;
  __global const float16* column0 = packed + (size_t) (firstPanel + 0) * k;
  __global const float16* column1 = packed + (size_t) (firstPanel + 1) * k;
  __global const float16* column2 = packed + (size_t) (firstPanel + 2) * k;
  __global const float16* column3 = packed + (size_t) (firstPanel + 3) * k;
  float16 sum0_0 = (float16)(0.0f);
  float16 sum1_0 = (float16)(0.0f);
  float16 sum0_1 = (float16)(0.0f);
  float16 sum1_1 = (float16)(0.0f);
  float16 sum0_2 = (float16)(0.0f);
  float16 sum1_2 = (float16)(0.0f);
  float16 sum0_3 = (float16)(0.0f);
  float16 sum1_3 = (float16)(0.0f);
  int i = 0;
  for (; i + 2 <= k; i += 2) {
    const float16 x0 = (float16)(a[i + 0]);
    const float16 x1 = (float16)(a[i + 1]);
    sum0_0 = fma(x0, column0[i + 0], sum0_0);
    sum0_1 = fma(x0, column1[i + 0], sum0_1);
    sum0_2 = fma(x0, column2[i + 0], sum0_2);
    sum0_3 = fma(x0, column3[i + 0], sum0_3);
    sum1_0 = fma(x1, column0[i + 1], sum1_0);
    sum1_1 = fma(x1, column1[i + 1], sum1_1);
    sum1_2 = fma(x1, column2[i + 1], sum1_2);
    sum1_3 = fma(x1, column3[i + 1], sum1_3);
  }
  for (; i < k; i++) {
    const float16 x = (float16)(a[i]);
    sum0_0 = fma(x, column0[i], sum0_0);
    sum0_1 = fma(x, column1[i], sum0_1);
    sum0_2 = fma(x, column2[i], sum0_2);
    sum0_3 = fma(x, column3[i], sum0_3);
  }
  {
    const float16 sum = sum0_0 + sum1_0;
    const int first = (firstPanel + 0) * 16;
    if (first + 0 < n) c[first + 0] = sum.s0;
    if (first + 1 < n) c[first + 1] = sum.s1;
    if (first + 2 < n) c[first + 2] = sum.s2;
    if (first + 3 < n) c[first + 3] = sum.s3;
    if (first + 4 < n) c[first + 4] = sum.s4;
    if (first + 5 < n) c[first + 5] = sum.s5;
    if (first + 6 < n) c[first + 6] = sum.s6;
    if (first + 7 < n) c[first + 7] = sum.s7;
    if (first + 8 < n) c[first + 8] = sum.s8;
    if (first + 9 < n) c[first + 9] = sum.s9;
    if (first + 10 < n) c[first + 10] = sum.sa;
    if (first + 11 < n) c[first + 11] = sum.sb;
    if (first + 12 < n) c[first + 12] = sum.sc;
    if (first + 13 < n) c[first + 13] = sum.sd;
    if (first + 14 < n) c[first + 14] = sum.se;
    if (first + 15 < n) c[first + 15] = sum.sf;
  }
  {
    const float16 sum = sum0_1 + sum1_1;
    const int first = (firstPanel + 1) * 16;
    if (first + 0 < n) c[first + 0] = sum.s0;
    if (first + 1 < n) c[first + 1] = sum.s1;
    if (first + 2 < n) c[first + 2] = sum.s2;
    if (first + 3 < n) c[first + 3] = sum.s3;
    if (first + 4 < n) c[first + 4] = sum.s4;
    if (first + 5 < n) c[first + 5] = sum.s5;
    if (first + 6 < n) c[first + 6] = sum.s6;
    if (first + 7 < n) c[first + 7] = sum.s7;
    if (first + 8 < n) c[first + 8] = sum.s8;
    if (first + 9 < n) c[first + 9] = sum.s9;
    if (first + 10 < n) c[first + 10] = sum.sa;
    if (first + 11 < n) c[first + 11] = sum.sb;
    if (first + 12 < n) c[first + 12] = sum.sc;
    if (first + 13 < n) c[first + 13] = sum.sd;
    if (first + 14 < n) c[first + 14] = sum.se;
    if (first + 15 < n) c[first + 15] = sum.sf;
  }
  {
    const float16 sum = sum0_2 + sum1_2;
    const int first = (firstPanel + 2) * 16;
    if (first + 0 < n) c[first + 0] = sum.s0;
    if (first + 1 < n) c[first + 1] = sum.s1;
    if (first + 2 < n) c[first + 2] = sum.s2;
    if (first + 3 < n) c[first + 3] = sum.s3;
    if (first + 4 < n) c[first + 4] = sum.s4;
    if (first + 5 < n) c[first + 5] = sum.s5;
    if (first + 6 < n) c[first + 6] = sum.s6;
    if (first + 7 < n) c[first + 7] = sum.s7;
    if (first + 8 < n) c[first + 8] = sum.s8;
    if (first + 9 < n) c[first + 9] = sum.s9;
    if (first + 10 < n) c[first + 10] = sum.sa;
    if (first + 11 < n) c[first + 11] = sum.sb;
    if (first + 12 < n) c[first + 12] = sum.sc;
    if (first + 13 < n) c[first + 13] = sum.sd;
    if (first + 14 < n) c[first + 14] = sum.se;
    if (first + 15 < n) c[first + 15] = sum.sf;
  }
  {
    const float16 sum = sum0_3 + sum1_3;
    const int first = (firstPanel + 3) * 16;
    if (first + 0 < n) c[first + 0] = sum.s0;
    if (first + 1 < n) c[first + 1] = sum.s1;
    if (first + 2 < n) c[first + 2] = sum.s2;
    if (first + 3 < n) c[first + 3] = sum.s3;
    if (first + 4 < n) c[first + 4] = sum.s4;
    if (first + 5 < n) c[first + 5] = sum.s5;
    if (first + 6 < n) c[first + 6] = sum.s6;
    if (first + 7 < n) c[first + 7] = sum.s7;
    if (first + 8 < n) c[first + 8] = sum.s8;
    if (first + 9 < n) c[first + 9] = sum.s9;
    if (first + 10 < n) c[first + 10] = sum.sa;
    if (first + 11 < n) c[first + 11] = sum.sb;
    if (first + 12 < n) c[first + 12] = sum.sc;
    if (first + 13 < n) c[first + 13] = sum.sd;
    if (first + 14 < n) c[first + 14] = sum.se;
    if (first + 15 < n) c[first + 15] = sum.sf;
  }
}
