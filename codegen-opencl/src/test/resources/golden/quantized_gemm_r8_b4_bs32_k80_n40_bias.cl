// 8 rows at a time of 80 values times the 40 columns of 4-bit weights in 3 blocks of 32 (the last of 16), 3 panels of 16 columns.
__kernel void quantized_gemm_r8_b4_bs32_k80_n40_bias(__global const float* restrict a,
                           __global const uchar16* restrict packed,
                           __global const float16* restrict scales,
                           __global const float16* restrict zeroPoints,
                           __global const float* restrict bias,
                           __global float* restrict y,
                           const int m) {
  const int panel = get_global_id(0);
  const int first = get_global_id(1) * 8;
  if (panel >= 3 || first >= m) {
    return;
  }
  __global const uchar16* bytes = packed + (size_t) panel * 3 * 16;
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
  float16 sums[8];
  sums[0] = (float16)(0.0f);
  sums[1] = (float16)(0.0f);
  sums[2] = (float16)(0.0f);
  sums[3] = (float16)(0.0f);
  sums[4] = (float16)(0.0f);
  sums[5] = (float16)(0.0f);
  sums[6] = (float16)(0.0f);
  sums[7] = (float16)(0.0f);
  for (int block = 0; block < 3; block++) {
    const int count = block == 3 - 1 ? 16 : 32;
    const float16 zero = zeroPoints[(size_t) panel * 3 + block];
    const float16 scale = scales[(size_t) panel * 3 + block];
    __global const uchar16* q = bytes + block * 16;
    for (int v = 0; v < count; v++) {
      const float16 w = (convert_float16(((v) & 1) ? q[(v) / 2] >> (uchar) 4 : q[(v) / 2] & (uchar) 15) - zero) * scale;
      const int k = block * 32 + v;
      sums[0] = fma((float16)(row[0][k]), w, sums[0]);
      sums[1] = fma((float16)(row[1][k]), w, sums[1]);
      sums[2] = fma((float16)(row[2][k]), w, sums[2]);
      sums[3] = fma((float16)(row[3][k]), w, sums[3]);
      sums[4] = fma((float16)(row[4][k]), w, sums[4]);
      sums[5] = fma((float16)(row[5][k]), w, sums[5]);
      sums[6] = fma((float16)(row[6][k]), w, sums[6]);
      sums[7] = fma((float16)(row[7][k]), w, sums[7]);
    }
  }
  const int column = panel * 16;
  if (first + 0 < m) {
    __global float* out = y + (long) (first + 0) * 40;
    if (column + 0 < 40) out[column + 0] = sums[0].s0 + bias[column + 0];
    if (column + 1 < 40) out[column + 1] = sums[0].s1 + bias[column + 1];
    if (column + 2 < 40) out[column + 2] = sums[0].s2 + bias[column + 2];
    if (column + 3 < 40) out[column + 3] = sums[0].s3 + bias[column + 3];
    if (column + 4 < 40) out[column + 4] = sums[0].s4 + bias[column + 4];
    if (column + 5 < 40) out[column + 5] = sums[0].s5 + bias[column + 5];
    if (column + 6 < 40) out[column + 6] = sums[0].s6 + bias[column + 6];
    if (column + 7 < 40) out[column + 7] = sums[0].s7 + bias[column + 7];
    if (column + 8 < 40) out[column + 8] = sums[0].s8 + bias[column + 8];
    if (column + 9 < 40) out[column + 9] = sums[0].s9 + bias[column + 9];
    if (column + 10 < 40) out[column + 10] = sums[0].sa + bias[column + 10];
    if (column + 11 < 40) out[column + 11] = sums[0].sb + bias[column + 11];
    if (column + 12 < 40) out[column + 12] = sums[0].sc + bias[column + 12];
    if (column + 13 < 40) out[column + 13] = sums[0].sd + bias[column + 13];
    if (column + 14 < 40) out[column + 14] = sums[0].se + bias[column + 14];
    if (column + 15 < 40) out[column + 15] = sums[0].sf + bias[column + 15];
  }
  if (first + 1 < m) {
    __global float* out = y + (long) (first + 1) * 40;
    if (column + 0 < 40) out[column + 0] = sums[1].s0 + bias[column + 0];
    if (column + 1 < 40) out[column + 1] = sums[1].s1 + bias[column + 1];
    if (column + 2 < 40) out[column + 2] = sums[1].s2 + bias[column + 2];
    if (column + 3 < 40) out[column + 3] = sums[1].s3 + bias[column + 3];
    if (column + 4 < 40) out[column + 4] = sums[1].s4 + bias[column + 4];
    if (column + 5 < 40) out[column + 5] = sums[1].s5 + bias[column + 5];
    if (column + 6 < 40) out[column + 6] = sums[1].s6 + bias[column + 6];
    if (column + 7 < 40) out[column + 7] = sums[1].s7 + bias[column + 7];
    if (column + 8 < 40) out[column + 8] = sums[1].s8 + bias[column + 8];
    if (column + 9 < 40) out[column + 9] = sums[1].s9 + bias[column + 9];
    if (column + 10 < 40) out[column + 10] = sums[1].sa + bias[column + 10];
    if (column + 11 < 40) out[column + 11] = sums[1].sb + bias[column + 11];
    if (column + 12 < 40) out[column + 12] = sums[1].sc + bias[column + 12];
    if (column + 13 < 40) out[column + 13] = sums[1].sd + bias[column + 13];
    if (column + 14 < 40) out[column + 14] = sums[1].se + bias[column + 14];
    if (column + 15 < 40) out[column + 15] = sums[1].sf + bias[column + 15];
  }
  if (first + 2 < m) {
    __global float* out = y + (long) (first + 2) * 40;
    if (column + 0 < 40) out[column + 0] = sums[2].s0 + bias[column + 0];
    if (column + 1 < 40) out[column + 1] = sums[2].s1 + bias[column + 1];
    if (column + 2 < 40) out[column + 2] = sums[2].s2 + bias[column + 2];
    if (column + 3 < 40) out[column + 3] = sums[2].s3 + bias[column + 3];
    if (column + 4 < 40) out[column + 4] = sums[2].s4 + bias[column + 4];
    if (column + 5 < 40) out[column + 5] = sums[2].s5 + bias[column + 5];
    if (column + 6 < 40) out[column + 6] = sums[2].s6 + bias[column + 6];
    if (column + 7 < 40) out[column + 7] = sums[2].s7 + bias[column + 7];
    if (column + 8 < 40) out[column + 8] = sums[2].s8 + bias[column + 8];
    if (column + 9 < 40) out[column + 9] = sums[2].s9 + bias[column + 9];
    if (column + 10 < 40) out[column + 10] = sums[2].sa + bias[column + 10];
    if (column + 11 < 40) out[column + 11] = sums[2].sb + bias[column + 11];
    if (column + 12 < 40) out[column + 12] = sums[2].sc + bias[column + 12];
    if (column + 13 < 40) out[column + 13] = sums[2].sd + bias[column + 13];
    if (column + 14 < 40) out[column + 14] = sums[2].se + bias[column + 14];
    if (column + 15 < 40) out[column + 15] = sums[2].sf + bias[column + 15];
  }
  if (first + 3 < m) {
    __global float* out = y + (long) (first + 3) * 40;
    if (column + 0 < 40) out[column + 0] = sums[3].s0 + bias[column + 0];
    if (column + 1 < 40) out[column + 1] = sums[3].s1 + bias[column + 1];
    if (column + 2 < 40) out[column + 2] = sums[3].s2 + bias[column + 2];
    if (column + 3 < 40) out[column + 3] = sums[3].s3 + bias[column + 3];
    if (column + 4 < 40) out[column + 4] = sums[3].s4 + bias[column + 4];
    if (column + 5 < 40) out[column + 5] = sums[3].s5 + bias[column + 5];
    if (column + 6 < 40) out[column + 6] = sums[3].s6 + bias[column + 6];
    if (column + 7 < 40) out[column + 7] = sums[3].s7 + bias[column + 7];
    if (column + 8 < 40) out[column + 8] = sums[3].s8 + bias[column + 8];
    if (column + 9 < 40) out[column + 9] = sums[3].s9 + bias[column + 9];
    if (column + 10 < 40) out[column + 10] = sums[3].sa + bias[column + 10];
    if (column + 11 < 40) out[column + 11] = sums[3].sb + bias[column + 11];
    if (column + 12 < 40) out[column + 12] = sums[3].sc + bias[column + 12];
    if (column + 13 < 40) out[column + 13] = sums[3].sd + bias[column + 13];
    if (column + 14 < 40) out[column + 14] = sums[3].se + bias[column + 14];
    if (column + 15 < 40) out[column + 15] = sums[3].sf + bias[column + 15];
  }
  if (first + 4 < m) {
    __global float* out = y + (long) (first + 4) * 40;
    if (column + 0 < 40) out[column + 0] = sums[4].s0 + bias[column + 0];
    if (column + 1 < 40) out[column + 1] = sums[4].s1 + bias[column + 1];
    if (column + 2 < 40) out[column + 2] = sums[4].s2 + bias[column + 2];
    if (column + 3 < 40) out[column + 3] = sums[4].s3 + bias[column + 3];
    if (column + 4 < 40) out[column + 4] = sums[4].s4 + bias[column + 4];
    if (column + 5 < 40) out[column + 5] = sums[4].s5 + bias[column + 5];
    if (column + 6 < 40) out[column + 6] = sums[4].s6 + bias[column + 6];
    if (column + 7 < 40) out[column + 7] = sums[4].s7 + bias[column + 7];
    if (column + 8 < 40) out[column + 8] = sums[4].s8 + bias[column + 8];
    if (column + 9 < 40) out[column + 9] = sums[4].s9 + bias[column + 9];
    if (column + 10 < 40) out[column + 10] = sums[4].sa + bias[column + 10];
    if (column + 11 < 40) out[column + 11] = sums[4].sb + bias[column + 11];
    if (column + 12 < 40) out[column + 12] = sums[4].sc + bias[column + 12];
    if (column + 13 < 40) out[column + 13] = sums[4].sd + bias[column + 13];
    if (column + 14 < 40) out[column + 14] = sums[4].se + bias[column + 14];
    if (column + 15 < 40) out[column + 15] = sums[4].sf + bias[column + 15];
  }
  if (first + 5 < m) {
    __global float* out = y + (long) (first + 5) * 40;
    if (column + 0 < 40) out[column + 0] = sums[5].s0 + bias[column + 0];
    if (column + 1 < 40) out[column + 1] = sums[5].s1 + bias[column + 1];
    if (column + 2 < 40) out[column + 2] = sums[5].s2 + bias[column + 2];
    if (column + 3 < 40) out[column + 3] = sums[5].s3 + bias[column + 3];
    if (column + 4 < 40) out[column + 4] = sums[5].s4 + bias[column + 4];
    if (column + 5 < 40) out[column + 5] = sums[5].s5 + bias[column + 5];
    if (column + 6 < 40) out[column + 6] = sums[5].s6 + bias[column + 6];
    if (column + 7 < 40) out[column + 7] = sums[5].s7 + bias[column + 7];
    if (column + 8 < 40) out[column + 8] = sums[5].s8 + bias[column + 8];
    if (column + 9 < 40) out[column + 9] = sums[5].s9 + bias[column + 9];
    if (column + 10 < 40) out[column + 10] = sums[5].sa + bias[column + 10];
    if (column + 11 < 40) out[column + 11] = sums[5].sb + bias[column + 11];
    if (column + 12 < 40) out[column + 12] = sums[5].sc + bias[column + 12];
    if (column + 13 < 40) out[column + 13] = sums[5].sd + bias[column + 13];
    if (column + 14 < 40) out[column + 14] = sums[5].se + bias[column + 14];
    if (column + 15 < 40) out[column + 15] = sums[5].sf + bias[column + 15];
  }
  if (first + 6 < m) {
    __global float* out = y + (long) (first + 6) * 40;
    if (column + 0 < 40) out[column + 0] = sums[6].s0 + bias[column + 0];
    if (column + 1 < 40) out[column + 1] = sums[6].s1 + bias[column + 1];
    if (column + 2 < 40) out[column + 2] = sums[6].s2 + bias[column + 2];
    if (column + 3 < 40) out[column + 3] = sums[6].s3 + bias[column + 3];
    if (column + 4 < 40) out[column + 4] = sums[6].s4 + bias[column + 4];
    if (column + 5 < 40) out[column + 5] = sums[6].s5 + bias[column + 5];
    if (column + 6 < 40) out[column + 6] = sums[6].s6 + bias[column + 6];
    if (column + 7 < 40) out[column + 7] = sums[6].s7 + bias[column + 7];
    if (column + 8 < 40) out[column + 8] = sums[6].s8 + bias[column + 8];
    if (column + 9 < 40) out[column + 9] = sums[6].s9 + bias[column + 9];
    if (column + 10 < 40) out[column + 10] = sums[6].sa + bias[column + 10];
    if (column + 11 < 40) out[column + 11] = sums[6].sb + bias[column + 11];
    if (column + 12 < 40) out[column + 12] = sums[6].sc + bias[column + 12];
    if (column + 13 < 40) out[column + 13] = sums[6].sd + bias[column + 13];
    if (column + 14 < 40) out[column + 14] = sums[6].se + bias[column + 14];
    if (column + 15 < 40) out[column + 15] = sums[6].sf + bias[column + 15];
  }
  if (first + 7 < m) {
    __global float* out = y + (long) (first + 7) * 40;
    if (column + 0 < 40) out[column + 0] = sums[7].s0 + bias[column + 0];
    if (column + 1 < 40) out[column + 1] = sums[7].s1 + bias[column + 1];
    if (column + 2 < 40) out[column + 2] = sums[7].s2 + bias[column + 2];
    if (column + 3 < 40) out[column + 3] = sums[7].s3 + bias[column + 3];
    if (column + 4 < 40) out[column + 4] = sums[7].s4 + bias[column + 4];
    if (column + 5 < 40) out[column + 5] = sums[7].s5 + bias[column + 5];
    if (column + 6 < 40) out[column + 6] = sums[7].s6 + bias[column + 6];
    if (column + 7 < 40) out[column + 7] = sums[7].s7 + bias[column + 7];
    if (column + 8 < 40) out[column + 8] = sums[7].s8 + bias[column + 8];
    if (column + 9 < 40) out[column + 9] = sums[7].s9 + bias[column + 9];
    if (column + 10 < 40) out[column + 10] = sums[7].sa + bias[column + 10];
    if (column + 11 < 40) out[column + 11] = sums[7].sb + bias[column + 11];
    if (column + 12 < 40) out[column + 12] = sums[7].sc + bias[column + 12];
    if (column + 13 < 40) out[column + 13] = sums[7].sd + bias[column + 13];
    if (column + 14 < 40) out[column + 14] = sums[7].se + bias[column + 14];
    if (column + 15 < 40) out[column + 15] = sums[7].sf + bias[column + 15];
  }
}
