// ReduceMean of each row: fold the elements (plain, add) from zero, then mean.
__kernel __attribute__((reqd_work_group_size(64, 1, 1)))
void reduce_mean_f32_g64(__global const float* restrict input,
                  __global float* restrict output,
                  const int rowLength) {
  __local float scratch[64];
  const int lane = get_local_id(0);
  __global const float* row = input + (size_t) get_group_id(0) * rowLength;
  float folded = 0;
  for (int i = lane; i < rowLength; i += 64) {
    const float x = row[i];
    const float contribution = x;
    folded = folded + contribution;
  }
  scratch[lane] = folded;
  barrier(CLK_LOCAL_MEM_FENCE);
  for (int stride = 64 / 2; stride > 0; stride /= 2) {
    if (lane < stride) {
      scratch[lane] = scratch[lane] + scratch[lane + stride];
    }
    barrier(CLK_LOCAL_MEM_FENCE);
  }
  folded = scratch[0];
  barrier(CLK_LOCAL_MEM_FENCE);
  if (lane == 0) {
    output[get_group_id(0)] = (float) (folded / rowLength);
  }
}
