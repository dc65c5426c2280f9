// ArgMax of each row, the last index on ties.
__kernel __attribute__((reqd_work_group_size(4, 1, 1)))
void argmax_last_f32_g4_strided(__global const float* restrict input,
                  __global long* restrict output,
                  const int rowLength) {
  __local float scratch[4];
  __local int scratchIndex[4];
  const int lane = get_local_id(0);
  const int inner = get_num_groups(0);
  __global const float* row = input + (size_t) get_group_id(1) * rowLength * inner + get_group_id(0);

  float best = 0;
  int bestIndex = -1;
  for (int i = lane; i < rowLength; i += 4) {
    const float x = row[i * inner];
    if (bestIndex < 0 || (x > best || (isnan(x) && !isnan(best))) || (x == best || (isnan(x) && isnan(best)))) {
      best = x;
      bestIndex = i;
    }
  }
  scratch[lane] = best;
  scratchIndex[lane] = bestIndex;
  barrier(CLK_LOCAL_MEM_FENCE);
  for (int stride = 4 / 2; stride > 0; stride /= 2) {
    if (lane < stride) {
      const float other = scratch[lane + stride];
      const int otherIndex = scratchIndex[lane + stride];
      const float mine = scratch[lane];
      const int mineIndex = scratchIndex[lane];
      if (otherIndex >= 0 && (mineIndex < 0 || (other > mine || (isnan(other) && !isnan(mine)))
          || ((other == mine || (isnan(other) && isnan(mine))) && otherIndex > mineIndex))) {
        scratch[lane] = other;
        scratchIndex[lane] = otherIndex;
      }
    }
    barrier(CLK_LOCAL_MEM_FENCE);
  }
  if (lane == 0) {
    output[get_group_id(1) * inner + get_group_id(0)] = scratchIndex[0];
  }
}
