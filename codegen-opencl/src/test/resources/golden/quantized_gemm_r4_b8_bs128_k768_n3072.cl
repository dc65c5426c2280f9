// 4 rows at a time of 768 values times the 3072 columns of 8-bit weights in 6 blocks of 128 (the last of 128).
__kernel void quantized_gemm_r4_b8_bs128_k768_n3072(__global const float* restrict a,
                           __global const uchar* restrict b,
                           __global const float* restrict scales,
                           __global const float* restrict zeroPoints,
                           __global float* restrict y,
                           const int m) {
  const int n = get_global_id(0);
  const int first = get_global_id(1) * 4;
  if (n >= 3072 || first >= m) {
    return;
  }
  __global const uchar* column = b + (long) n * 6 * 128;
  // Rows past m read the last row (their sums are not stored).
  __global const float* row[4];
  row[0] = a + (long) min(first + 0, m - 1) * 768;
  row[1] = a + (long) min(first + 1, m - 1) * 768;
  row[2] = a + (long) min(first + 2, m - 1) * 768;
  row[3] = a + (long) min(first + 3, m - 1) * 768;
  float sums[4] = {0.0f};
  for (int block = 0; block < 6; block++) {
    const int count = block == 6 - 1 ? 128 : 128;
    const float zero = zeroPoints[n * 6 + block];
    const float scale = scales[n * 6 + block];
    __global const uchar* bytes = column + block * 128;
    float partial[4] = {0.0f};
    for (int v = 0; v < count; v++) {
      const float w = (float) bytes[v] - zero;
      const int k = block * 128 + v;
      partial[0] = fma(row[0][k], w, partial[0]);
      partial[1] = fma(row[1][k], w, partial[1]);
      partial[2] = fma(row[2][k], w, partial[2]);
      partial[3] = fma(row[3][k], w, partial[3]);
    }
    sums[0] = fma(partial[0], scale, sums[0]);
    sums[1] = fma(partial[1], scale, sums[1]);
    sums[2] = fma(partial[2], scale, sums[2]);
    sums[3] = fma(partial[3], scale, sums[3]);
  }
  if (first + 0 < m) {
    y[(long) (first + 0) * 3072 + n] = sums[0];
  }
  if (first + 1 < m) {
    y[(long) (first + 1) * 3072 + n] = sums[1];
  }
  if (first + 2 < m) {
    y[(long) (first + 2) * 3072 + n] = sums[2];
  }
  if (first + 3 < m) {
    y[(long) (first + 3) * 3072 + n] = sums[3];
  }
}
