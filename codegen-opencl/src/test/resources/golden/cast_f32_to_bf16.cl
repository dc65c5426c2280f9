// float to bfloat16, rounded to nearest even as the reference rounds; NaN to 0x7FC0.
ushort toBfloat16(const float value) {
  const uint bits = as_uint(value);
  return isnan(value) ? (ushort)0x7FC0 : (ushort)((bits + 0x7FFFu + ((bits >> 16) & 1u)) >> 16);
}

// Cast float32 to bfloat16: y = x
__kernel void cast_f32_to_bf16(__global const float* restrict input,
                           __global ushort* restrict output,
                           const int count) {
  const int i = get_global_id(0);
  if (i >= count) {
    return;
  }
  const float x = input[i];
  output[i] = toBfloat16(x);
}
