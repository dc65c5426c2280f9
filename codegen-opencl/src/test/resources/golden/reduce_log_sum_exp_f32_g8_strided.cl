// ReduceLogSumExp of each row: fold the elements (shiftedExponential, add) from zero, then logSumExp.
__kernel __attribute__((reqd_work_group_size(8, 1, 1)))
void reduce_log_sum_exp_f32_g8_strided(__global const float* restrict input,
                  __global float* restrict output,
                  const int rowLength) {
  __local float scratch[8];
  const int lane = get_local_id(0);
  const int inner = get_num_groups(0);
  __global const float* row = input + (size_t) get_group_id(1) * rowLength * inner + get_group_id(0);

  float maximum = -INFINITY;
  for (int i = lane; i < rowLength; i += 8) {
    const float x = row[i * inner];
    maximum = (maximum > x || isnan(maximum) ? maximum : x);
  }
  scratch[lane] = maximum;
  barrier(CLK_LOCAL_MEM_FENCE);
  for (int stride = 8 / 2; stride > 0; stride /= 2) {
    if (lane < stride) {
      scratch[lane] = (scratch[lane] > scratch[lane + stride] || isnan(scratch[lane]) ? scratch[lane] : scratch[lane + stride]);
    }
    barrier(CLK_LOCAL_MEM_FENCE);
  }
  maximum = scratch[0];
  barrier(CLK_LOCAL_MEM_FENCE);

  float folded = 0;
  for (int i = lane; i < rowLength; i += 8) {
    const float x = row[i * inner];
    const float contribution = exp(x - maximum);
    folded = folded + contribution;
  }
  scratch[lane] = folded;
  barrier(CLK_LOCAL_MEM_FENCE);
  for (int stride = 8 / 2; stride > 0; stride /= 2) {
    if (lane < stride) {
      scratch[lane] = scratch[lane] + scratch[lane + stride];
    }
    barrier(CLK_LOCAL_MEM_FENCE);
  }
  folded = scratch[0];
  barrier(CLK_LOCAL_MEM_FENCE);
  if (lane == 0) {
    output[get_group_id(1) * inner + get_group_id(0)] = (float) (isinf(maximum) ? maximum : maximum + log(folded));
  }
}
