// Mul: y = a * b, broadcast by strides (0 on a broadcast axis).
// The output is seen as [extent0, extent1, extent2]; global ids run (axis 2, axis 1, axis 0).
__kernel void mul_f16(__global const half* restrict left,
                           __global const half* restrict right,
                           __global half* restrict output,
                           const int extent1, const int extent2,
                           const int left0, const int left1, const int left2,
                           const int right0, const int right1, const int right2) {
  const int i2 = get_global_id(0);
  const int i1 = get_global_id(1);
  const int i0 = get_global_id(2);
  const float a = vload_half(i0 * left0 + i1 * left1 + i2 * left2, left);
  const float b = vload_half(i0 * right0 + i1 * right1 + i2 * right2, right);
  vstore_half_rte(a * b, (i0 * extent1 + i1) * extent2 + i2, output);
}
