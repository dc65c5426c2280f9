// Where output index i of an axis reads from, c = i - begin, in reflect mode (-1: the pad value).
static int pad_reflect_uint_source(const int c, const int size) {
  if (size == 1) {
    return 0;
  }
  const int period = 2 * (size - 1);
  int m = c % period;
  if (m < 0) {
    m += period;
  }
  return m < size ? m : period - m;
}

// output[Σ ik·outk] = input[Σ ck·ink], or padValue[0] where some ck is -1, for a window of
// [extent0, get_global_size(2), get_global_size(1), get_global_size(0)] elements.
__kernel void pad_reflect_uint(__global const uint* restrict input,
                           __global const uint* restrict padValue,
                           __global uint* restrict output,
                           const int extent0,
                           const int size0, const int size1, const int size2, const int size3,
                           const int begin0, const int begin1, const int begin2, const int begin3,
                           const int in0, const int in1, const int in2, const int in3,
                           const int out0, const int out1, const int out2, const int out3) {
  const int i3 = get_global_id(0);
  const int i2 = get_global_id(1);
  const int i1 = get_global_id(2);
  const int c1 = pad_reflect_uint_source(i1 - begin1, size1);
  const int c2 = pad_reflect_uint_source(i2 - begin2, size2);
  const int c3 = pad_reflect_uint_source(i3 - begin3, size3);
  const bool inside = c1 >= 0 && c2 >= 0 && c3 >= 0;
  __global const uint* from = input + c1 * in1 + c2 * in2 + c3 * in3;
  __global uint* to = output + i1 * out1 + i2 * out2 + i3 * out3;
  for (int i0 = 0; i0 < extent0; i0++) {
    const int c0 = pad_reflect_uint_source(i0 - begin0, size0);
    to[i0 * out0] = inside && c0 >= 0 ? from[c0 * in0] : padValue[0];
  }
}
