// float to bfloat16, rounded to nearest even as the reference rounds; NaN to 0x7FC0.
ushort toBfloat16(const float value) {
  const uint bits = as_uint(value);
  return isnan(value) ? (ushort)0x7FC0 : (ushort)((bits + 0x7FFFu + ((bits >> 16) & 1u)) >> 16);
}

float fold(const float a, const float b) {
  return isnan(a) || isnan(b) ? a + b : fmax(a, b);
}

// Max: y = isnan(a) || isnan(b) ? a + b : fmax(a, b) folded over 3 inputs, broadcast by strides (0 on a broadcast axis).
__kernel void max3_bf16_4axes(__global const ushort* restrict input0,
                           __global const ushort* restrict input1,
                           __global const ushort* restrict input2,
                           __global ushort* restrict output,
                           const int extent0, const int extent1, const int extent2, const int extent3,
                           const int input0_0, const int input0_1, const int input0_2, const int input0_3,
                           const int input1_0, const int input1_1, const int input1_2, const int input1_3,
                           const int input2_0, const int input2_1, const int input2_2, const int input2_3) {
  const int i3 = get_global_id(0);
  const int i2 = get_global_id(1);
  const int i1 = get_global_id(2);
  for (int i0 = 0; i0 < extent0; i0++) {
    float accumulator = as_float((uint)input0[i0 * input0_0 + i1 * input0_1 + i2 * input0_2 + i3 * input0_3] << 16);
    accumulator = fold(accumulator, as_float((uint)input1[i0 * input1_0 + i1 * input1_1 + i2 * input1_2 + i3 * input1_3] << 16));
    accumulator = fold(accumulator, as_float((uint)input2[i0 * input2_0 + i1 * input2_1 + i2 * input2_2 + i3 * input2_3] << 16));
    output[((i0 * extent1 + i1) * extent2 + i2) * extent3 + i3] = toBfloat16(accumulator);
  }
}
