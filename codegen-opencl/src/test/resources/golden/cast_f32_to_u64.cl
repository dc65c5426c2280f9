// Cast float32 to uint64: y = x >= 0x1p63f ? convert_long_sat(x - 0x1p63f) ^ LONG_MIN : convert_long_sat(x)
__kernel void cast_f32_to_u64(__global const float* restrict input,
                           __global ulong* restrict output,
                           const int count) {
  const int i = get_global_id(0);
  if (i >= count) {
    return;
  }
  const float x = input[i];
  output[i] = x >= 0x1p63f ? convert_long_sat(x - 0x1p63f) ^ LONG_MIN : convert_long_sat(x);
}
