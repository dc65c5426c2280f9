// Rows of 64 4-bit values (32 bytes, 2 blocks of 32) of a table of 50.
__kernel void quantized_gather_b4_bs32_50x64_long(__global const uchar* restrict data,
                           __global const long* restrict indices,
                           __global const float* restrict scales,
                           __global const float* restrict zeroPoints,
                           __global float* restrict y) {
  const int p = get_global_id(0);
  const int i = get_global_id(1);
  if (p >= 64) {
    return;
  }
  long row = (long) indices[i];
  row = clamp(row < 0 ? row + 50 : row, 0L, (long) 50 - 1);
  __global const uchar* bytes = data + row * 32;
  const int block = p / 32;
  const float q = (float) (((p) & 1) ? bytes[(p) / 2] / 16 : bytes[(p) / 2] & 15);
  y[(long) i * 64 + p] =
      (q - zeroPoints[row * 2 + block]) * scales[row * 2 + block];
}
