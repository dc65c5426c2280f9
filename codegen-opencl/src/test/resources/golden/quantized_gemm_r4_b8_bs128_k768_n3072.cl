// 4 rows at a time of 768 values times the 3072 columns of 8-bit weights in 6 blocks of 128 (the last of 128), 192 panels of 16 columns.
__kernel void quantized_gemm_r4_b8_bs128_k768_n3072(__global const float* restrict a,
                           __global const uchar16* restrict packed,
                           __global const float16* restrict scales,
                           __global const float16* restrict zeroPoints,
                           __global float* restrict y,
                           const int m) {
  const int panel = get_global_id(0);
  const int first = get_global_id(1) * 4;
  if (panel >= 192 || first >= m) {
    return;
  }
  __global const uchar16* bytes = packed + (size_t) panel * 6 * 128;
  // Rows past m read the last row (their sums are not stored).
  __global const float* row[4];
  row[0] = a + (long) min(first + 0, m - 1) * 768;
  row[1] = a + (long) min(first + 1, m - 1) * 768;
  row[2] = a + (long) min(first + 2, m - 1) * 768;
  row[3] = a + (long) min(first + 3, m - 1) * 768;
  float16 sums[4];
  sums[0] = (float16)(0.0f);
  sums[1] = (float16)(0.0f);
  sums[2] = (float16)(0.0f);
  sums[3] = (float16)(0.0f);
  for (int block = 0; block < 6; block++) {
    const int count = block == 6 - 1 ? 128 : 128;
    const float16 zero = zeroPoints[(size_t) panel * 6 + block];
    const float16 scale = scales[(size_t) panel * 6 + block];
    __global const uchar16* q = bytes + block * 128;
    for (int v = 0; v < count; v++) {
      const float16 w = (convert_float16(q[v]) - zero) * scale;
      const int k = block * 128 + v;
      sums[0] = fma((float16)(row[0][k]), w, sums[0]);
      sums[1] = fma((float16)(row[1][k]), w, sums[1]);
      sums[2] = fma((float16)(row[2][k]), w, sums[2]);
      sums[3] = fma((float16)(row[3][k]), w, sums[3]);
    }
  }
  const int column = panel * 16;
  if (first + 0 < m) {
    __global float* out = y + (long) (first + 0) * 3072;
    if (column + 0 < 3072) out[column + 0] = sums[0].s0;
    if (column + 1 < 3072) out[column + 1] = sums[0].s1;
    if (column + 2 < 3072) out[column + 2] = sums[0].s2;
    if (column + 3 < 3072) out[column + 3] = sums[0].s3;
    if (column + 4 < 3072) out[column + 4] = sums[0].s4;
    if (column + 5 < 3072) out[column + 5] = sums[0].s5;
    if (column + 6 < 3072) out[column + 6] = sums[0].s6;
    if (column + 7 < 3072) out[column + 7] = sums[0].s7;
    if (column + 8 < 3072) out[column + 8] = sums[0].s8;
    if (column + 9 < 3072) out[column + 9] = sums[0].s9;
    if (column + 10 < 3072) out[column + 10] = sums[0].sa;
    if (column + 11 < 3072) out[column + 11] = sums[0].sb;
    if (column + 12 < 3072) out[column + 12] = sums[0].sc;
    if (column + 13 < 3072) out[column + 13] = sums[0].sd;
    if (column + 14 < 3072) out[column + 14] = sums[0].se;
    if (column + 15 < 3072) out[column + 15] = sums[0].sf;
  }
  if (first + 1 < m) {
    __global float* out = y + (long) (first + 1) * 3072;
    if (column + 0 < 3072) out[column + 0] = sums[1].s0;
    if (column + 1 < 3072) out[column + 1] = sums[1].s1;
    if (column + 2 < 3072) out[column + 2] = sums[1].s2;
    if (column + 3 < 3072) out[column + 3] = sums[1].s3;
    if (column + 4 < 3072) out[column + 4] = sums[1].s4;
    if (column + 5 < 3072) out[column + 5] = sums[1].s5;
    if (column + 6 < 3072) out[column + 6] = sums[1].s6;
    if (column + 7 < 3072) out[column + 7] = sums[1].s7;
    if (column + 8 < 3072) out[column + 8] = sums[1].s8;
    if (column + 9 < 3072) out[column + 9] = sums[1].s9;
    if (column + 10 < 3072) out[column + 10] = sums[1].sa;
    if (column + 11 < 3072) out[column + 11] = sums[1].sb;
    if (column + 12 < 3072) out[column + 12] = sums[1].sc;
    if (column + 13 < 3072) out[column + 13] = sums[1].sd;
    if (column + 14 < 3072) out[column + 14] = sums[1].se;
    if (column + 15 < 3072) out[column + 15] = sums[1].sf;
  }
  if (first + 2 < m) {
    __global float* out = y + (long) (first + 2) * 3072;
    if (column + 0 < 3072) out[column + 0] = sums[2].s0;
    if (column + 1 < 3072) out[column + 1] = sums[2].s1;
    if (column + 2 < 3072) out[column + 2] = sums[2].s2;
    if (column + 3 < 3072) out[column + 3] = sums[2].s3;
    if (column + 4 < 3072) out[column + 4] = sums[2].s4;
    if (column + 5 < 3072) out[column + 5] = sums[2].s5;
    if (column + 6 < 3072) out[column + 6] = sums[2].s6;
    if (column + 7 < 3072) out[column + 7] = sums[2].s7;
    if (column + 8 < 3072) out[column + 8] = sums[2].s8;
    if (column + 9 < 3072) out[column + 9] = sums[2].s9;
    if (column + 10 < 3072) out[column + 10] = sums[2].sa;
    if (column + 11 < 3072) out[column + 11] = sums[2].sb;
    if (column + 12 < 3072) out[column + 12] = sums[2].sc;
    if (column + 13 < 3072) out[column + 13] = sums[2].sd;
    if (column + 14 < 3072) out[column + 14] = sums[2].se;
    if (column + 15 < 3072) out[column + 15] = sums[2].sf;
  }
  if (first + 3 < m) {
    __global float* out = y + (long) (first + 3) * 3072;
    if (column + 0 < 3072) out[column + 0] = sums[3].s0;
    if (column + 1 < 3072) out[column + 1] = sums[3].s1;
    if (column + 2 < 3072) out[column + 2] = sums[3].s2;
    if (column + 3 < 3072) out[column + 3] = sums[3].s3;
    if (column + 4 < 3072) out[column + 4] = sums[3].s4;
    if (column + 5 < 3072) out[column + 5] = sums[3].s5;
    if (column + 6 < 3072) out[column + 6] = sums[3].s6;
    if (column + 7 < 3072) out[column + 7] = sums[3].s7;
    if (column + 8 < 3072) out[column + 8] = sums[3].s8;
    if (column + 9 < 3072) out[column + 9] = sums[3].s9;
    if (column + 10 < 3072) out[column + 10] = sums[3].sa;
    if (column + 11 < 3072) out[column + 11] = sums[3].sb;
    if (column + 12 < 3072) out[column + 12] = sums[3].sc;
    if (column + 13 < 3072) out[column + 13] = sums[3].sd;
    if (column + 14 < 3072) out[column + 14] = sums[3].se;
    if (column + 15 < 3072) out[column + 15] = sums[3].sf;
  }
}
