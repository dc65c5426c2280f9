// output[batch, t, j] = data[batch·batchSize + Σ indices[batch, t, k]·stridek + j]
__kernel void gather_nd_d2_uint_long(__global const uint* restrict data,
                           __global const long* restrict indices,
                           __global uint* restrict output,
                           const int tuples, const int slice, const int batchSize,
                           const int size0, const int stride0,
                           const int size1, const int stride1) {
  const int j = get_global_id(0);
  const int t = get_global_id(1);
  const int batch = get_global_id(2);
  const int row = batch * tuples + t;
  int offset = batch * batchSize + j;
  long index0 = indices[row * 2 + 0];
  if (index0 < 0) {
    index0 += size0;
  }
  offset += (int) clamp(index0, 0L, (long) size0 - 1) * stride0;
  long index1 = indices[row * 2 + 1];
  if (index1 < 0) {
    index1 += size1;
  }
  offset += (int) clamp(index1, 0L, (long) size1 - 1) * stride1;
  output[(size_t) row * slice + j] = data[offset];
}
