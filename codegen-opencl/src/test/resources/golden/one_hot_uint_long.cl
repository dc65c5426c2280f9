// output[outer, d, inner] = values[index == d ? 1 : 0], index = indices[outer, inner] (negative
// ones count from depth)
__kernel void one_hot_uint_long(__global const long* restrict indices,
                           __global const uint* restrict values,
                           __global uint* restrict output,
                           const int depth, const int inner) {
  const int j = get_global_id(0);
  const int d = get_global_id(1);
  const int o = get_global_id(2);
  long index = (long) indices[(size_t) o * inner + j];
  if (index < 0) {
    index += depth;
  }
  output[((size_t) o * depth + d) * inner + j] = values[index == d ? 1 : 0];
}
