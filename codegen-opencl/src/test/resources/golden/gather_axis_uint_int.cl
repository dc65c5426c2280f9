// output[Σ ik·outk] = data[Σ ik·datak + index·axisStride], index = indices[Σ ik·indexk], for a
// window of [extent0, get_global_size(2), get_global_size(1), get_global_size(0)] elements.
__kernel void gather_axis_uint_int(__global const uint* restrict data,
                           __global const int* restrict indices,
                           __global uint* restrict output,
                           const int axisSize, const int axisStride, const int extent0,
                           const int data0, const int data1, const int data2, const int data3,
                           const int index0, const int index1, const int index2, const int index3,
                           const int out0, const int out1, const int out2, const int out3) {
  const int i3 = get_global_id(0);
  const int i2 = get_global_id(1);
  const int i1 = get_global_id(2);
  __global const uint* from = data + i1 * data1 + i2 * data2 + i3 * data3;
  __global const int* at = indices + i1 * index1 + i2 * index2 + i3 * index3;
  __global uint* to = output + i1 * out1 + i2 * out2 + i3 * out3;
  for (int i0 = 0; i0 < extent0; i0++) {
    long index = at[i0 * index0];
    if (index < 0) {
      index += axisSize;
    }
    index = clamp(index, 0L, (long) axisSize - 1);
    to[i0 * out0] = from[i0 * data0 + (int) index * axisStride];
  }
}
