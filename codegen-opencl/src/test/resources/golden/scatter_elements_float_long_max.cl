// For i0 in order: output[Σ ik·outk + index·axisStride] combined (maxFloat) with
// updates[Σ ik·indexk], index = indices[Σ ik·indexk].
__kernel void scatter_elements_float_long_max(__global const long* restrict indices,
                           __global const float* restrict updates,
                           __global float* restrict output,
                           const int axisSize, const int axisStride, const int extent0,
                           const int index0, const int index1, const int index2, const int index3,
                           const int out1, const int out2, const int out3) {
  const int i3 = get_global_id(0);
  const int i2 = get_global_id(1);
  const int i1 = get_global_id(2);
  const int first = i1 * index1 + i2 * index2 + i3 * index3;
  __global float* base = output + i1 * out1 + i2 * out2 + i3 * out3;
  for (int i0 = 0; i0 < extent0; i0++) {
    long index = indices[first + i0 * index0];
    if (index < 0) {
      index += axisSize;
    }
    index = clamp(index, 0L, (long) axisSize - 1);
    __global float* at = base + (int) index * axisStride;
    const float target = *at;
    const float update = updates[first + i0 * index0];
    *at = isnan(target) || isnan(update) ? target + update : fmax(target, update);
  }
}
