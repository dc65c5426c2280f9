// output[outputOffset + Σ ik·outk] = input[inputOffset + Σ ik·ink], for a window of
// [extent0, get_global_size(2), get_global_size(1), get_global_size(0)] elements.
__kernel void strided_copy_uint(__global const uint* restrict input,
                           __global uint* restrict output,
                           const int inputOffset, const int outputOffset, const int extent0,
                           const int in0, const int in1, const int in2, const int in3,
                           const int out0, const int out1, const int out2, const int out3) {
  const int i3 = get_global_id(0);
  const int i2 = get_global_id(1);
  const int i1 = get_global_id(2);
  __global const uint* from = input + inputOffset + i1 * in1 + i2 * in2 + i3 * in3;
  __global uint* to = output + outputOffset + i1 * out1 + i2 * out2 + i3 * out3;
  for (int i0 = 0; i0 < extent0; i0++) {
    to[i0 * out0] = from[i0 * in0];
  }
}
