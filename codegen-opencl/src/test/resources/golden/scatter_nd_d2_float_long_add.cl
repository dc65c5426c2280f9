// For each index tuple t in order: output[Σ indices[t, k]·stridek + j] combined (add)
// with updates[t·slice + j]; one work-item per slice element j.
__kernel void scatter_nd_d2_float_long_add(__global const long* restrict indices,
                           __global const float* restrict updates,
                           __global float* restrict output,
                           const int tuples, const int slice,
                           const int size0, const int stride0,
                           const int size1, const int stride1) {
  const int j = get_global_id(0);
  for (int t = 0; t < tuples; t++) {
    int offset = j;
    long index0 = indices[t * 2 + 0];
    if (index0 < 0) {
      index0 += size0;
    }
    offset += (int) clamp(index0, 0L, (long) size0 - 1) * stride0;
    long index1 = indices[t * 2 + 1];
    if (index1 < 0) {
      index1 += size1;
    }
    offset += (int) clamp(index1, 0L, (long) size1 - 1) * stride1;
    const float target = output[offset];
    const float update = updates[(size_t) t * slice + j];
    output[offset] = target + update;
  }
}
