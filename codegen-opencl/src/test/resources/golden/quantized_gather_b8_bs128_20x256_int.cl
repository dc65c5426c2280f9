// Rows of 256 8-bit values (256 bytes, 2 blocks of 128) of a table of 20.
__kernel void quantized_gather_b8_bs128_20x256_int(__global const uchar* restrict data,
                           __global const int* restrict indices,
                           __global const float* restrict scales,
                           __global const float* restrict zeroPoints,
                           __global float* restrict y) {
  const int p = get_global_id(0);
  const int i = get_global_id(1);
  if (p >= 256) {
    return;
  }
  long row = (long) indices[i];
  row = clamp(row < 0 ? row + 20 : row, 0L, (long) 20 - 1);
  __global const uchar* bytes = data + row * 256;
  const int block = p / 128;
  const float q = (float) bytes[p];
  y[(long) i * 256 + p] =
      (q - zeroPoints[row * 2 + block]) * scales[row * 2 + block];
}
