inline float blockDot(__global const float* restrict a, __global const uchar* restrict bytes,
                      const int count, const float zero) {
  float sum = 0.0f;
  for (int v = 0; v < count; v++) {
    sum = fma(a[v], (float) bytes[v] - zero, sum);
  }
  return sum;
}
// A row of 768 values times the 3072 columns of 8-bit weights in 6 blocks of 128 (the last of 128).
__kernel void quantized_gemv_b8_bs128_k768_n3072(__global const float* restrict a,
                           __global const uchar* restrict b,
                           __global const float* restrict scales,
                           __global const float* restrict zeroPoints,
                           __global float* restrict y) {
  const int n = get_global_id(0);
  if (n >= 3072) {
    return;
  }
  __global const uchar* column = b + (long) n * 6 * 128;
  float sum = 0.0f;
  for (int block = 0; block < 6; block++) {
    const int count = block == 6 - 1 ? 128 : 128;
    const float dot = blockDot(a + block * 128, column + block * 128, count,
                               zeroPoints[n * 6 + block]);
    sum = fma(dot, scales[n * 6 + block], sum);
  }
  y[n] = sum;
}
