// A row of 768 values times the 3072 columns of 8-bit weights in 6 blocks of 128 (the last of 128), 192 panels of 16 columns.
__kernel void quantized_gemv_b8_bs128_k768_n3072(__global const float* restrict a,
                           __global const uchar16* restrict packed,
                           __global const float16* restrict scales,
                           __global const float16* restrict zeroPoints,
                           __global float* restrict y) {
  const int panel = get_global_id(0);
  if (panel >= 192) {
    return;
  }
  __global const uchar16* bytes = packed + (size_t) panel * 6 * 128;
  __global const float16* panelScales = scales + (size_t) panel * 6;
  __global const float16* panelZeros = zeroPoints + (size_t) panel * 6;
  float16 sum = (float16)(0.0f);
  for (int block = 0; block < 6; block++) {
    const int count = block == 6 - 1 ? 128 : 128;
    __global const float* x = a + block * 128;
    __global const uchar16* q = bytes + block * 128;
    float16 dot0 = (float16)(0.0f);
    float16 dot1 = (float16)(0.0f);
    float xSum = 0.0f;
    int v = 0;
    for (; v + 1 < count; v += 2) {
      dot0 = fma((float16)(x[v]), convert_float16(q[v]), dot0);
      dot1 = fma((float16)(x[v + 1]), convert_float16(q[v + 1]), dot1);
      xSum += x[v] + x[v + 1];
    }
    if (v < count) {
      dot0 = fma((float16)(x[v]), convert_float16(q[v]), dot0);
      xSum += x[v];
    }
    const float16 dot = dot0 + dot1 - panelZeros[block] * xSum;
    sum = fma(dot, panelScales[block], sum);
  }
  const int first = panel * 16;
  if (first + 0 < 3072) y[first + 0] = sum.s0;
  if (first + 1 < 3072) y[first + 1] = sum.s1;
  if (first + 2 < 3072) y[first + 2] = sum.s2;
  if (first + 3 < 3072) y[first + 3] = sum.s3;
  if (first + 4 < 3072) y[first + 4] = sum.s4;
  if (first + 5 < 3072) y[first + 5] = sum.s5;
  if (first + 6 < 3072) y[first + 6] = sum.s6;
  if (first + 7 < 3072) y[first + 7] = sum.s7;
  if (first + 8 < 3072) y[first + 8] = sum.s8;
  if (first + 9 < 3072) y[first + 9] = sum.s9;
  if (first + 10 < 3072) y[first + 10] = sum.sa;
  if (first + 11 < 3072) y[first + 11] = sum.sb;
  if (first + 12 < 3072) y[first + 12] = sum.sc;
  if (first + 13 < 3072) y[first + 13] = sum.sd;
  if (first + 14 < 3072) y[first + 14] = sum.se;
  if (first + 15 < 3072) y[first + 15] = sum.sf;
}
