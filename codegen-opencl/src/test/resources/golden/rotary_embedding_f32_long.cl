// y = x with pair (x1, x2) of each head's first rotary features turned by the angle of its position:
// (cos · x1 - sin · x2, sin · x1 + cos · x2); the angle's row is positions[batch, position].
__kernel void rotary_embedding_f32_long(__global const float* restrict x,
                           __global const float* restrict cosCache,
                           __global const float* restrict sinCache,
                           __global const long* restrict positions,
                           __global float* restrict y,
                           const int heads, const int pairs, const int rotary,
                           const int batchStride, const int headStride, const int positionStride,
                           const int pairStride, const int partner,
                           const int positionBatchStride, const int cacheRowStride) {
  const int pair = get_global_id(0);
  const int position = get_global_id(1);
  const int batch = get_global_id(2);
  const size_t base = (size_t) batch * batchStride + (size_t) position * positionStride;
  if (pair < pairs) {
    const size_t row = (size_t) positions[batch * positionBatchStride + position];
    const float c = cosCache[row * cacheRowStride + pair];
    const float s = sinCache[row * cacheRowStride + pair];
    const size_t first = base + (size_t) pair * pairStride;
    for (int h = 0; h < heads; h++) {
      const size_t at = first + (size_t) h * headStride;
      const float x1 = x[at];
      const float x2 = x[at + partner];
      y[at] = c * x1 - s * x2;
      y[at + partner] = s * x1 + c * x2;
    }
  } else {
    const size_t at = base + rotary + (pair - pairs);
    for (int h = 0; h < heads; h++) {
      y[at + (size_t) h * headStride] = x[at + (size_t) h * headStride];
    }
  }
}
