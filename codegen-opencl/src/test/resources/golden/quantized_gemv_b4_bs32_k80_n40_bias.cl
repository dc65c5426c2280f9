// A row of 80 values times the 40 columns of 4-bit weights in 3 blocks of 32 (the last of 16), 3 panels of 16 columns.
__kernel void quantized_gemv_b4_bs32_k80_n40_bias(__global const float* restrict a,
                           __global const uchar16* restrict packed,
                           __global const float16* restrict scales,
                           __global const float16* restrict zeroPoints,
                           __global const float* restrict bias,
                           __global float* restrict y) {
  const int panel = get_global_id(0);
  if (panel >= 3) {
    return;
  }
  __global const uchar16* bytes = packed + (size_t) panel * 3 * 16;
  __global const float16* panelScales = scales + (size_t) panel * 3;
  __global const float16* panelZeros = zeroPoints + (size_t) panel * 3;
  float16 sum = (float16)(0.0f);
  for (int block = 0; block < 3; block++) {
    const int count = block == 3 - 1 ? 16 : 32;
    __global const float* x = a + block * 32;
    __global const uchar16* q = bytes + block * 16;
    float16 dot0 = (float16)(0.0f);
    float16 dot1 = (float16)(0.0f);
    float xSum = 0.0f;
    int v = 0;
    for (; v + 1 < count; v += 2) {
      const uchar16 pair = q[v / 2];
      dot0 = fma((float16)(x[v]), convert_float16(pair & (uchar) 15), dot0);
      dot1 = fma((float16)(x[v + 1]), convert_float16(pair >> (uchar) 4), dot1);
      xSum += x[v] + x[v + 1];
    }
    if (v < count) {
      dot0 = fma((float16)(x[v]), convert_float16(((v) & 1) ? q[(v) / 2] >> (uchar) 4 : q[(v) / 2] & (uchar) 15), dot0);
      xSum += x[v];
    }
    const float16 dot = dot0 + dot1 - panelZeros[block] * xSum;
    sum = fma(dot, panelScales[block], sum);
  }
  const int first = panel * 16;
  if (first + 0 < 40) y[first + 0] = sum.s0 + bias[first + 0];
  if (first + 1 < 40) y[first + 1] = sum.s1 + bias[first + 1];
  if (first + 2 < 40) y[first + 2] = sum.s2 + bias[first + 2];
  if (first + 3 < 40) y[first + 3] = sum.s3 + bias[first + 3];
  if (first + 4 < 40) y[first + 4] = sum.s4 + bias[first + 4];
  if (first + 5 < 40) y[first + 5] = sum.s5 + bias[first + 5];
  if (first + 6 < 40) y[first + 6] = sum.s6 + bias[first + 6];
  if (first + 7 < 40) y[first + 7] = sum.s7 + bias[first + 7];
  if (first + 8 < 40) y[first + 8] = sum.s8 + bias[first + 8];
  if (first + 9 < 40) y[first + 9] = sum.s9 + bias[first + 9];
  if (first + 10 < 40) y[first + 10] = sum.sa + bias[first + 10];
  if (first + 11 < 40) y[first + 11] = sum.sb + bias[first + 11];
  if (first + 12 < 40) y[first + 12] = sum.sc + bias[first + 12];
  if (first + 13 < 40) y[first + 13] = sum.sd + bias[first + 13];
  if (first + 14 < 40) y[first + 14] = sum.se + bias[first + 14];
  if (first + 15 < 40) y[first + 15] = sum.sf + bias[first + 15];
}
