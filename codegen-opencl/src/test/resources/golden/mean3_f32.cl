float fold(const float a, const float b) {
  return a + b;
}

// Mean: y = a + b folded over 3 inputs, broadcast by strides (0 on a broadcast axis).
__kernel void mean3_f32(__global const float* restrict input0,
                           __global const float* restrict input1,
                           __global const float* restrict input2,
                           __global float* restrict output,
                           const int extent1, const int extent2,
                           const int input0_0, const int input0_1, const int input0_2,
                           const int input1_0, const int input1_1, const int input1_2,
                           const int input2_0, const int input2_1, const int input2_2) {
  const int i2 = get_global_id(0);
  const int i1 = get_global_id(1);
  const int i0 = get_global_id(2);
  float accumulator = input0[i0 * input0_0 + i1 * input0_1 + i2 * input0_2];
  accumulator = fold(accumulator, input1[i0 * input1_0 + i1 * input1_1 + i2 * input1_2]);
  accumulator = fold(accumulator, input2[i0 * input2_0 + i1 * input2_1 + i2 * input2_2]);
  output[(i0 * extent1 + i1) * extent2 + i2] = accumulator / 3;
}
