// Where: y = condition ? x : y, all three broadcast by strides (0 on a broadcast axis).
__kernel void where_f32_4axes(__global const uchar* restrict condition,
                           __global const float* restrict whenTrue,
                           __global const float* restrict whenFalse,
                           __global float* restrict output,
                           const int extent0, const int extent1, const int extent2, const int extent3,
                           const int condition0, const int condition1, const int condition2, const int condition3,
                           const int true0, const int true1, const int true2, const int true3,
                           const int false0, const int false1, const int false2, const int false3) {
  const int i3 = get_global_id(0);
  const int i2 = get_global_id(1);
  const int i1 = get_global_id(2);
  for (int i0 = 0; i0 < extent0; i0++) {
    const bool pick = condition[i0 * condition0 + i1 * condition1 + i2 * condition2 + i3 * condition3] != 0;
    output[((i0 * extent1 + i1) * extent2 + i2) * extent3 + i3] = pick
        ? whenTrue[i0 * true0 + i1 * true1 + i2 * true2 + i3 * true3]
        : whenFalse[i0 * false0 + i1 * false1 + i2 * false2 + i3 * false3];
  }
}
