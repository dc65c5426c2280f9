// 8 rows at a time of 80 values times the 40 columns of 4-bit weights in 3 blocks of 32 (the last of 16).
__kernel void quantized_gemm_r8_b4_bs32_k80_n40_bias(__global const float* restrict a,
                           __global const uchar* restrict b,
                           __global const float* restrict scales,
                           __global const float* restrict zeroPoints,
                           __global const float* restrict bias,
                           __global float* restrict y,
                           const int m) {
  const int n = get_global_id(0);
  const int first = get_global_id(1) * 8;
  if (n >= 40 || first >= m) {
    return;
  }
  __global const uchar* column = b + (long) n * 3 * 16;
  // Rows past m read the last row (their sums are not stored).
  __global const float* row[8];
  row[0] = a + (long) min(first + 0, m - 1) * 80;
  row[1] = a + (long) min(first + 1, m - 1) * 80;
  row[2] = a + (long) min(first + 2, m - 1) * 80;
  row[3] = a + (long) min(first + 3, m - 1) * 80;
  row[4] = a + (long) min(first + 4, m - 1) * 80;
  row[5] = a + (long) min(first + 5, m - 1) * 80;
  row[6] = a + (long) min(first + 6, m - 1) * 80;
  row[7] = a + (long) min(first + 7, m - 1) * 80;
  float sums[8] = {0.0f};
  for (int block = 0; block < 3; block++) {
    const int count = block == 3 - 1 ? 16 : 32;
    const float zero = zeroPoints[n * 3 + block];
    const float scale = scales[n * 3 + block];
    __global const uchar* bytes = column + block * 16;
    float partial[8] = {0.0f};
    for (int v = 0; v < count; v++) {
      const float w = (float) (((v) & 1) ? bytes[(v) / 2] / 16 : bytes[(v) / 2] & 15) - zero;
      const int k = block * 32 + v;
      partial[0] = fma(row[0][k], w, partial[0]);
      partial[1] = fma(row[1][k], w, partial[1]);
      partial[2] = fma(row[2][k], w, partial[2]);
      partial[3] = fma(row[3][k], w, partial[3]);
      partial[4] = fma(row[4][k], w, partial[4]);
      partial[5] = fma(row[5][k], w, partial[5]);
      partial[6] = fma(row[6][k], w, partial[6]);
      partial[7] = fma(row[7][k], w, partial[7]);
    }
    sums[0] = fma(partial[0], scale, sums[0]);
    sums[1] = fma(partial[1], scale, sums[1]);
    sums[2] = fma(partial[2], scale, sums[2]);
    sums[3] = fma(partial[3], scale, sums[3]);
    sums[4] = fma(partial[4], scale, sums[4]);
    sums[5] = fma(partial[5], scale, sums[5]);
    sums[6] = fma(partial[6], scale, sums[6]);
    sums[7] = fma(partial[7], scale, sums[7]);
  }
  if (first + 0 < m) {
    y[(long) (first + 0) * 40 + n] = sums[0] + bias[n];
  }
  if (first + 1 < m) {
    y[(long) (first + 1) * 40 + n] = sums[1] + bias[n];
  }
  if (first + 2 < m) {
    y[(long) (first + 2) * 40 + n] = sums[2] + bias[n];
  }
  if (first + 3 < m) {
    y[(long) (first + 3) * 40 + n] = sums[3] + bias[n];
  }
  if (first + 4 < m) {
    y[(long) (first + 4) * 40 + n] = sums[4] + bias[n];
  }
  if (first + 5 < m) {
    y[(long) (first + 5) * 40 + n] = sums[5] + bias[n];
  }
  if (first + 6 < m) {
    y[(long) (first + 6) * 40 + n] = sums[6] + bias[n];
  }
  if (first + 7 < m) {
    y[(long) (first + 7) * 40 + n] = sums[7] + bias[n];
  }
}
