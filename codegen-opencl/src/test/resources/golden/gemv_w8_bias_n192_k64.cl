// c[n] = a[k] · B[k, n] + bias[n]: one work-item per panel of 8 columns; N = 192, K = 64.
__kernel void gemv_w8_bias_n192_k64(__global const float* restrict a,
                           __global const float8* restrict packed, __global const float* restrict bias,
                           __global float* restrict c) {
  const int n = 192;
  const int k = 64;
  const int panel = get_global_id(0);
  __global const float8* column = packed + (size_t) panel * k;
  float8 sum = (float8)(0.0f);
  for (int i = 0; i < k; i++) {
    sum = fma((float8)(a[i]), column[i], sum);
  }
  const int first = panel * 8;
  if (first + 0 < n) c[first + 0] = sum.s0 + bias[first + 0];
  if (first + 1 < n) c[first + 1] = sum.s1 + bias[first + 1];
  if (first + 2 < n) c[first + 2] = sum.s2 + bias[first + 2];
  if (first + 3 < n) c[first + 3] = sum.s3 + bias[first + 3];
  if (first + 4 < n) c[first + 4] = sum.s4 + bias[first + 4];
  if (first + 5 < n) c[first + 5] = sum.s5 + bias[first + 5];
  if (first + 6 < n) c[first + 6] = sum.s6 + bias[first + 6];
  if (first + 7 < n) c[first + 7] = sum.s7 + bias[first + 7];
}
