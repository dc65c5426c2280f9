inline float blockDot(__global const float* restrict a, __global const uchar* restrict bytes,
                      const int count, const float zero) {
  float sum = 0.0f;
  for (int v = 0; v + 1 < count; v += 2) {
    const uchar pair = bytes[v / 2];
    sum = fma(a[v], (float) (pair & 15) - zero, sum);
    sum = fma(a[v + 1], (float) (pair >> 4) - zero, sum);
  }
  if (count & 1) {
    sum = fma(a[count - 1], (float) (bytes[count / 2] & 15) - zero, sum);
  }
  return sum;
}
// A row of 80 values times the 40 columns of 4-bit weights in 3 blocks of 32 (the last of 16).
__kernel void quantized_gemv_b4_bs32_k80_n40_bias(__global const float* restrict a,
                           __global const uchar* restrict b,
                           __global const float* restrict scales,
                           __global const float* restrict zeroPoints,
                           __global const float* restrict bias,
                           __global float* restrict y) {
  const int n = get_global_id(0);
  if (n >= 40) {
    return;
  }
  __global const uchar* column = b + (long) n * 3 * 16;
  float sum = 0.0f;
  for (int block = 0; block < 3; block++) {
    const int count = block == 3 - 1 ? 16 : 32;
    const float dot = blockDot(a + block * 32, column + block * 16, count,
                               zeroPoints[n * 3 + block]);
    sum = fma(dot, scales[n * 3 + block], sum);
  }
  y[n] = sum + bias[n];
}
