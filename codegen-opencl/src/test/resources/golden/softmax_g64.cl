// Softmax of each row: max, then sum of exponentials, then the scaled exponentials.
__kernel __attribute__((reqd_work_group_size(64, 1, 1)))
void softmax_g64(__global const float* restrict input,
                  __global float* restrict output,
                  const int rowLength) {
  __local float scratch[64];
  const int lane = get_local_id(0);
  __global const float* x = input + (size_t) get_group_id(0) * rowLength;
  __global float* y = output + (size_t) get_group_id(0) * rowLength;

  float maximum = -INFINITY;
  for (int i = lane; i < rowLength; i += 64) {
    maximum = fmax(maximum, x[i]);
  }
  scratch[lane] = maximum;
  barrier(CLK_LOCAL_MEM_FENCE);
  for (int stride = 64 / 2; stride > 0; stride /= 2) {
    if (lane < stride) {
      scratch[lane] = fmax(scratch[lane], scratch[lane + stride]);
    }
    barrier(CLK_LOCAL_MEM_FENCE);
  }
  maximum = scratch[0];
  barrier(CLK_LOCAL_MEM_FENCE);

  float sum = 0.0f;
  for (int i = lane; i < rowLength; i += 64) {
    sum += exp(x[i] - maximum);
  }
  scratch[lane] = sum;
  barrier(CLK_LOCAL_MEM_FENCE);
  for (int stride = 64 / 2; stride > 0; stride /= 2) {
    if (lane < stride) {
      scratch[lane] = scratch[lane] + scratch[lane + stride];
    }
    barrier(CLK_LOCAL_MEM_FENCE);
  }
  sum = scratch[0];
  barrier(CLK_LOCAL_MEM_FENCE);

  const float inverse = 1.0f / sum;
  for (int i = lane; i < rowLength; i += 64) {
    y[i] = exp(x[i] - maximum) * inverse;
  }
}
