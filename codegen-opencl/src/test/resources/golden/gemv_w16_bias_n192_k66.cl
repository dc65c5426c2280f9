// c[n] = a[k] · B[k, n] + bias[n]: one work-item per panel of 16 columns; N = 192, K = 66.
// 4 partial sums over interleaved k, so that the fmas do not wait on each other.
__kernel void gemv_w16_bias_n192_k66(__global const float* restrict a,
                           __global const float16* restrict packed, __global const float* restrict bias,
                           __global float* restrict c) {
  const int n = 192;
  const int k = 66;
  const int panel = get_global_id(0);
  __global const float16* column = packed + (size_t) panel * k;
  float16 sum0 = (float16)(0.0f);
  float16 sum1 = (float16)(0.0f);
  float16 sum2 = (float16)(0.0f);
  float16 sum3 = (float16)(0.0f);
  int i = 0;
  for (; i + 4 <= k; i += 4) {
    sum0 = fma((float16)(a[i + 0]), column[i + 0], sum0);
    sum1 = fma((float16)(a[i + 1]), column[i + 1], sum1);
    sum2 = fma((float16)(a[i + 2]), column[i + 2], sum2);
    sum3 = fma((float16)(a[i + 3]), column[i + 3], sum3);
  }
  for (; i < k; i++) {
    sum0 = fma((float16)(a[i]), column[i], sum0);
  }
  const float16 sum = sum0 + sum1 + sum2 + sum3;
  const int first = panel * 16;
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
