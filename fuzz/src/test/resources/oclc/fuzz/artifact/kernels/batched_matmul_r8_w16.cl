// c[batch, i, j] = Σ a[batch, i, p] · b[batch, p, j] for two activations (attention's Q·Kᵀ and
// P·V); a batch stride of 0 broadcasts an operand. Each work-item holds 8 rows × 16 neighbouring
// columns in vector registers: a vector load of b's row serves every row, a's element is broadcast.
// The last columns, fewer than 16, are loaded lane by lane; rows past m repeat the last row and
// are not stored (no read out of bounds).
__kernel void batched_matmul_r8_w16(__global const float* restrict a,
                           __global const float* restrict b,
                           __global float* restrict c,
                           const int m, const int n, const int k,
                           const int aBatchStride, const int bBatchStride) {
  const int firstColumn = get_global_id(0) * 16;
  const int firstRow = get_global_id(1) * 8;
  const int batch = get_global_id(2);
  __global const float* column = b + (size_t) batch * bBatchStride + firstColumn;
  __global const float* aBatch = a + (size_t) batch * aBatchStride;
  __global const float* row0 = aBatch + (size_t) min(firstRow + 0, m - 1) * k;
  float16 sum0 = (float16)(0.0f);
  __global const float* row1 = aBatch + (size_t) min(firstRow + 1, m - 1) * k;
  float16 sum1 = (float16)(0.0f);
  __global const float* row2 = aBatch + (size_t) min(firstRow + 2, m - 1) * k;
  float16 sum2 = (float16)(0.0f);
  __global const float* row3 = aBatch + (size_t) min(firstRow + 3, m - 1) * k;
  float16 sum3 = (float16)(0.0f);
  __global const float* row4 = aBatch + (size_t) min(firstRow + 4, m - 1) * k;
  float16 sum4 = (float16)(0.0f);
  __global const float* row5 = aBatch + (size_t) min(firstRow + 5, m - 1) * k;
  float16 sum5 = (float16)(0.0f);
  __global const float* row6 = aBatch + (size_t) min(firstRow + 6, m - 1) * k;
  float16 sum6 = (float16)(0.0f);
  __global const float* row7 = aBatch + (size_t) min(firstRow + 7, m - 1) * k;
  float16 sum7 = (float16)(0.0f);
  const bool whole = firstColumn + 16 <= n;
  if (whole) {
    for (int p = 0; p < k; p++) {
      const float16 x = vload16(0, column + (size_t) p * n);
      sum0 = fma((float16)(row0[p]), x, sum0);
      sum1 = fma((float16)(row1[p]), x, sum1);
      sum2 = fma((float16)(row2[p]), x, sum2);
      sum3 = fma((float16)(row3[p]), x, sum3);
      sum4 = fma((float16)(row4[p]), x, sum4);
      sum5 = fma((float16)(row5[p]), x, sum5);
      sum6 = fma((float16)(row6[p]), x, sum6);
      sum7 = fma((float16)(row7[p]), x, sum7);
    }
  } else {
    for (int p = 0; p < k; p++) {
      __global const float* bRow = column + (size_t) p * n;
      float16 x = (float16)(0.0f);
      if (firstColumn + 0 < n) x.s0 = bRow[0];
      if (firstColumn + 1 < n) x.s1 = bRow[1];
      if (firstColumn + 2 < n) x.s2 = bRow[2];
      if (firstColumn + 3 < n) x.s3 = bRow[3];
      if (firstColumn + 4 < n) x.s4 = bRow[4];
      if (firstColumn + 5 < n) x.s5 = bRow[5];
      if (firstColumn + 6 < n) x.s6 = bRow[6];
      if (firstColumn + 7 < n) x.s7 = bRow[7];
      if (firstColumn + 8 < n) x.s8 = bRow[8];
      if (firstColumn + 9 < n) x.s9 = bRow[9];
      if (firstColumn + 10 < n) x.sa = bRow[10];
      if (firstColumn + 11 < n) x.sb = bRow[11];
      if (firstColumn + 12 < n) x.sc = bRow[12];
      if (firstColumn + 13 < n) x.sd = bRow[13];
      if (firstColumn + 14 < n) x.se = bRow[14];
      if (firstColumn + 15 < n) x.sf = bRow[15];
      sum0 = fma((float16)(row0[p]), x, sum0);
      sum1 = fma((float16)(row1[p]), x, sum1);
      sum2 = fma((float16)(row2[p]), x, sum2);
      sum3 = fma((float16)(row3[p]), x, sum3);
      sum4 = fma((float16)(row4[p]), x, sum4);
      sum5 = fma((float16)(row5[p]), x, sum5);
      sum6 = fma((float16)(row6[p]), x, sum6);
      sum7 = fma((float16)(row7[p]), x, sum7);
    }
  }
  __global float* out = c + ((size_t) batch * m + firstRow) * n + firstColumn;
  if (firstRow + 0 < m) {
    if (whole) {
      vstore16(sum0, 0, out + (size_t) 0 * n);
    } else {
      if (firstColumn + 0 < n) out[(size_t) 0 * n + 0] = sum0.s0;
      if (firstColumn + 1 < n) out[(size_t) 0 * n + 1] = sum0.s1;
      if (firstColumn + 2 < n) out[(size_t) 0 * n + 2] = sum0.s2;
      if (firstColumn + 3 < n) out[(size_t) 0 * n + 3] = sum0.s3;
      if (firstColumn + 4 < n) out[(size_t) 0 * n + 4] = sum0.s4;
      if (firstColumn + 5 < n) out[(size_t) 0 * n + 5] = sum0.s5;
      if (firstColumn + 6 < n) out[(size_t) 0 * n + 6] = sum0.s6;
      if (firstColumn + 7 < n) out[(size_t) 0 * n + 7] = sum0.s7;
      if (firstColumn + 8 < n) out[(size_t) 0 * n + 8] = sum0.s8;
      if (firstColumn + 9 < n) out[(size_t) 0 * n + 9] = sum0.s9;
      if (firstColumn + 10 < n) out[(size_t) 0 * n + 10] = sum0.sa;
      if (firstColumn + 11 < n) out[(size_t) 0 * n + 11] = sum0.sb;
      if (firstColumn + 12 < n) out[(size_t) 0 * n + 12] = sum0.sc;
      if (firstColumn + 13 < n) out[(size_t) 0 * n + 13] = sum0.sd;
      if (firstColumn + 14 < n) out[(size_t) 0 * n + 14] = sum0.se;
      if (firstColumn + 15 < n) out[(size_t) 0 * n + 15] = sum0.sf;
    }
  }
  if (firstRow + 1 < m) {
    if (whole) {
      vstore16(sum1, 0, out + (size_t) 1 * n);
    } else {
      if (firstColumn + 0 < n) out[(size_t) 1 * n + 0] = sum1.s0;
      if (firstColumn + 1 < n) out[(size_t) 1 * n + 1] = sum1.s1;
      if (firstColumn + 2 < n) out[(size_t) 1 * n + 2] = sum1.s2;
      if (firstColumn + 3 < n) out[(size_t) 1 * n + 3] = sum1.s3;
      if (firstColumn + 4 < n) out[(size_t) 1 * n + 4] = sum1.s4;
      if (firstColumn + 5 < n) out[(size_t) 1 * n + 5] = sum1.s5;
      if (firstColumn + 6 < n) out[(size_t) 1 * n + 6] = sum1.s6;
      if (firstColumn + 7 < n) out[(size_t) 1 * n + 7] = sum1.s7;
      if (firstColumn + 8 < n) out[(size_t) 1 * n + 8] = sum1.s8;
      if (firstColumn + 9 < n) out[(size_t) 1 * n + 9] = sum1.s9;
      if (firstColumn + 10 < n) out[(size_t) 1 * n + 10] = sum1.sa;
      if (firstColumn + 11 < n) out[(size_t) 1 * n + 11] = sum1.sb;
      if (firstColumn + 12 < n) out[(size_t) 1 * n + 12] = sum1.sc;
      if (firstColumn + 13 < n) out[(size_t) 1 * n + 13] = sum1.sd;
      if (firstColumn + 14 < n) out[(size_t) 1 * n + 14] = sum1.se;
      if (firstColumn + 15 < n) out[(size_t) 1 * n + 15] = sum1.sf;
    }
  }
  if (firstRow + 2 < m) {
    if (whole) {
      vstore16(sum2, 0, out + (size_t) 2 * n);
    } else {
      if (firstColumn + 0 < n) out[(size_t) 2 * n + 0] = sum2.s0;
      if (firstColumn + 1 < n) out[(size_t) 2 * n + 1] = sum2.s1;
      if (firstColumn + 2 < n) out[(size_t) 2 * n + 2] = sum2.s2;
      if (firstColumn + 3 < n) out[(size_t) 2 * n + 3] = sum2.s3;
      if (firstColumn + 4 < n) out[(size_t) 2 * n + 4] = sum2.s4;
      if (firstColumn + 5 < n) out[(size_t) 2 * n + 5] = sum2.s5;
      if (firstColumn + 6 < n) out[(size_t) 2 * n + 6] = sum2.s6;
      if (firstColumn + 7 < n) out[(size_t) 2 * n + 7] = sum2.s7;
      if (firstColumn + 8 < n) out[(size_t) 2 * n + 8] = sum2.s8;
      if (firstColumn + 9 < n) out[(size_t) 2 * n + 9] = sum2.s9;
      if (firstColumn + 10 < n) out[(size_t) 2 * n + 10] = sum2.sa;
      if (firstColumn + 11 < n) out[(size_t) 2 * n + 11] = sum2.sb;
      if (firstColumn + 12 < n) out[(size_t) 2 * n + 12] = sum2.sc;
      if (firstColumn + 13 < n) out[(size_t) 2 * n + 13] = sum2.sd;
      if (firstColumn + 14 < n) out[(size_t) 2 * n + 14] = sum2.se;
      if (firstColumn + 15 < n) out[(size_t) 2 * n + 15] = sum2.sf;
    }
  }
  if (firstRow + 3 < m) {
    if (whole) {
      vstore16(sum3, 0, out + (size_t) 3 * n);
    } else {
      if (firstColumn + 0 < n) out[(size_t) 3 * n + 0] = sum3.s0;
      if (firstColumn + 1 < n) out[(size_t) 3 * n + 1] = sum3.s1;
      if (firstColumn + 2 < n) out[(size_t) 3 * n + 2] = sum3.s2;
      if (firstColumn + 3 < n) out[(size_t) 3 * n + 3] = sum3.s3;
      if (firstColumn + 4 < n) out[(size_t) 3 * n + 4] = sum3.s4;
      if (firstColumn + 5 < n) out[(size_t) 3 * n + 5] = sum3.s5;
      if (firstColumn + 6 < n) out[(size_t) 3 * n + 6] = sum3.s6;
      if (firstColumn + 7 < n) out[(size_t) 3 * n + 7] = sum3.s7;
      if (firstColumn + 8 < n) out[(size_t) 3 * n + 8] = sum3.s8;
      if (firstColumn + 9 < n) out[(size_t) 3 * n + 9] = sum3.s9;
      if (firstColumn + 10 < n) out[(size_t) 3 * n + 10] = sum3.sa;
      if (firstColumn + 11 < n) out[(size_t) 3 * n + 11] = sum3.sb;
      if (firstColumn + 12 < n) out[(size_t) 3 * n + 12] = sum3.sc;
      if (firstColumn + 13 < n) out[(size_t) 3 * n + 13] = sum3.sd;
      if (firstColumn + 14 < n) out[(size_t) 3 * n + 14] = sum3.se;
      if (firstColumn + 15 < n) out[(size_t) 3 * n + 15] = sum3.sf;
    }
  }
  if (firstRow + 4 < m) {
    if (whole) {
      vstore16(sum4, 0, out + (size_t) 4 * n);
    } else {
      if (firstColumn + 0 < n) out[(size_t) 4 * n + 0] = sum4.s0;
      if (firstColumn + 1 < n) out[(size_t) 4 * n + 1] = sum4.s1;
      if (firstColumn + 2 < n) out[(size_t) 4 * n + 2] = sum4.s2;
      if (firstColumn + 3 < n) out[(size_t) 4 * n + 3] = sum4.s3;
      if (firstColumn + 4 < n) out[(size_t) 4 * n + 4] = sum4.s4;
      if (firstColumn + 5 < n) out[(size_t) 4 * n + 5] = sum4.s5;
      if (firstColumn + 6 < n) out[(size_t) 4 * n + 6] = sum4.s6;
      if (firstColumn + 7 < n) out[(size_t) 4 * n + 7] = sum4.s7;
      if (firstColumn + 8 < n) out[(size_t) 4 * n + 8] = sum4.s8;
      if (firstColumn + 9 < n) out[(size_t) 4 * n + 9] = sum4.s9;
      if (firstColumn + 10 < n) out[(size_t) 4 * n + 10] = sum4.sa;
      if (firstColumn + 11 < n) out[(size_t) 4 * n + 11] = sum4.sb;
      if (firstColumn + 12 < n) out[(size_t) 4 * n + 12] = sum4.sc;
      if (firstColumn + 13 < n) out[(size_t) 4 * n + 13] = sum4.sd;
      if (firstColumn + 14 < n) out[(size_t) 4 * n + 14] = sum4.se;
      if (firstColumn + 15 < n) out[(size_t) 4 * n + 15] = sum4.sf;
    }
  }
  if (firstRow + 5 < m) {
    if (whole) {
      vstore16(sum5, 0, out + (size_t) 5 * n);
    } else {
      if (firstColumn + 0 < n) out[(size_t) 5 * n + 0] = sum5.s0;
      if (firstColumn + 1 < n) out[(size_t) 5 * n + 1] = sum5.s1;
      if (firstColumn + 2 < n) out[(size_t) 5 * n + 2] = sum5.s2;
      if (firstColumn + 3 < n) out[(size_t) 5 * n + 3] = sum5.s3;
      if (firstColumn + 4 < n) out[(size_t) 5 * n + 4] = sum5.s4;
      if (firstColumn + 5 < n) out[(size_t) 5 * n + 5] = sum5.s5;
      if (firstColumn + 6 < n) out[(size_t) 5 * n + 6] = sum5.s6;
      if (firstColumn + 7 < n) out[(size_t) 5 * n + 7] = sum5.s7;
      if (firstColumn + 8 < n) out[(size_t) 5 * n + 8] = sum5.s8;
      if (firstColumn + 9 < n) out[(size_t) 5 * n + 9] = sum5.s9;
      if (firstColumn + 10 < n) out[(size_t) 5 * n + 10] = sum5.sa;
      if (firstColumn + 11 < n) out[(size_t) 5 * n + 11] = sum5.sb;
      if (firstColumn + 12 < n) out[(size_t) 5 * n + 12] = sum5.sc;
      if (firstColumn + 13 < n) out[(size_t) 5 * n + 13] = sum5.sd;
      if (firstColumn + 14 < n) out[(size_t) 5 * n + 14] = sum5.se;
      if (firstColumn + 15 < n) out[(size_t) 5 * n + 15] = sum5.sf;
    }
  }
  if (firstRow + 6 < m) {
    if (whole) {
      vstore16(sum6, 0, out + (size_t) 6 * n);
    } else {
      if (firstColumn + 0 < n) out[(size_t) 6 * n + 0] = sum6.s0;
      if (firstColumn + 1 < n) out[(size_t) 6 * n + 1] = sum6.s1;
      if (firstColumn + 2 < n) out[(size_t) 6 * n + 2] = sum6.s2;
      if (firstColumn + 3 < n) out[(size_t) 6 * n + 3] = sum6.s3;
      if (firstColumn + 4 < n) out[(size_t) 6 * n + 4] = sum6.s4;
      if (firstColumn + 5 < n) out[(size_t) 6 * n + 5] = sum6.s5;
      if (firstColumn + 6 < n) out[(size_t) 6 * n + 6] = sum6.s6;
      if (firstColumn + 7 < n) out[(size_t) 6 * n + 7] = sum6.s7;
      if (firstColumn + 8 < n) out[(size_t) 6 * n + 8] = sum6.s8;
      if (firstColumn + 9 < n) out[(size_t) 6 * n + 9] = sum6.s9;
      if (firstColumn + 10 < n) out[(size_t) 6 * n + 10] = sum6.sa;
      if (firstColumn + 11 < n) out[(size_t) 6 * n + 11] = sum6.sb;
      if (firstColumn + 12 < n) out[(size_t) 6 * n + 12] = sum6.sc;
      if (firstColumn + 13 < n) out[(size_t) 6 * n + 13] = sum6.sd;
      if (firstColumn + 14 < n) out[(size_t) 6 * n + 14] = sum6.se;
      if (firstColumn + 15 < n) out[(size_t) 6 * n + 15] = sum6.sf;
    }
  }
  if (firstRow + 7 < m) {
    if (whole) {
      vstore16(sum7, 0, out + (size_t) 7 * n);
    } else {
      if (firstColumn + 0 < n) out[(size_t) 7 * n + 0] = sum7.s0;
      if (firstColumn + 1 < n) out[(size_t) 7 * n + 1] = sum7.s1;
      if (firstColumn + 2 < n) out[(size_t) 7 * n + 2] = sum7.s2;
      if (firstColumn + 3 < n) out[(size_t) 7 * n + 3] = sum7.s3;
      if (firstColumn + 4 < n) out[(size_t) 7 * n + 4] = sum7.s4;
      if (firstColumn + 5 < n) out[(size_t) 7 * n + 5] = sum7.s5;
      if (firstColumn + 6 < n) out[(size_t) 7 * n + 6] = sum7.s6;
      if (firstColumn + 7 < n) out[(size_t) 7 * n + 7] = sum7.s7;
      if (firstColumn + 8 < n) out[(size_t) 7 * n + 8] = sum7.s8;
      if (firstColumn + 9 < n) out[(size_t) 7 * n + 9] = sum7.s9;
      if (firstColumn + 10 < n) out[(size_t) 7 * n + 10] = sum7.sa;
      if (firstColumn + 11 < n) out[(size_t) 7 * n + 11] = sum7.sb;
      if (firstColumn + 12 < n) out[(size_t) 7 * n + 12] = sum7.sc;
      if (firstColumn + 13 < n) out[(size_t) 7 * n + 13] = sum7.sd;
      if (firstColumn + 14 < n) out[(size_t) 7 * n + 14] = sum7.se;
      if (firstColumn + 15 < n) out[(size_t) 7 * n + 15] = sum7.sf;
    }
  }
}
