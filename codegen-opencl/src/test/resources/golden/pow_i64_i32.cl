ulong integerPower(ulong base, ulong exponent, bool negative) {
  if (negative) {
    return base == 1 ? 1 : base == (ulong)-1 ? ((exponent & 1) == 0 ? 1 : (ulong)-1) : 0;
  }
  ulong result = 1;
  for (; exponent != 0; exponent >>= 1) {
    if ((exponent & 1) != 0) {
      result *= base;
    }
    base *= base;
  }
  return result;
}

// Pow: y = integerPower(a, b, b < 0), broadcast by strides (0 on a broadcast axis).
// The output is seen as [extent0, extent1, extent2]; global ids run (axis 2, axis 1, axis 0).
__kernel void pow_i64_i32(__global const long* restrict left,
                           __global const int* restrict right,
                           __global long* restrict output,
                           const int extent1, const int extent2,
                           const int left0, const int left1, const int left2,
                           const int right0, const int right1, const int right2) {
  const int i2 = get_global_id(0);
  const int i1 = get_global_id(1);
  const int i0 = get_global_id(2);
  const long a = left[i0 * left0 + i1 * left1 + i2 * left2];
  const long b = right[i0 * right0 + i1 * right1 + i2 * right2];
  output[(i0 * extent1 + i1) * extent2 + i2] = integerPower(a, b, b < 0);
}
