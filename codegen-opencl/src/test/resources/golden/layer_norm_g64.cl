// LayerNormalization of each row: mean, then variance of the deviations, then scale and shift.
__kernel __attribute__((reqd_work_group_size(64, 1, 1)))
void layer_norm_g64(__global const float* restrict input,
                  __global const float* restrict scale,
                  __global const float* restrict shift,
                  __global float* restrict output,
                  const int rowLength,
                  const float epsilon) {
  __local float scratch[64];
  const int lane = get_local_id(0);
  __global const float* x = input + (size_t) get_group_id(0) * rowLength;
  __global float* y = output + (size_t) get_group_id(0) * rowLength;

  float sum = 0.0f;
  for (int i = lane; i < rowLength; i += 64) {
    sum += x[i];
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
  const float mean = sum / rowLength;

  float squares = 0.0f;
  for (int i = lane; i < rowLength; i += 64) {
    const float deviation = x[i] - mean;
    squares += deviation * deviation;
  }
  scratch[lane] = squares;
  barrier(CLK_LOCAL_MEM_FENCE);
  for (int stride = 64 / 2; stride > 0; stride /= 2) {
    if (lane < stride) {
      scratch[lane] = scratch[lane] + scratch[lane + stride];
    }
    barrier(CLK_LOCAL_MEM_FENCE);
  }
  squares = scratch[0];
  barrier(CLK_LOCAL_MEM_FENCE);
  const float inverseDeviation = rsqrt(squares / rowLength + epsilon);

  for (int i = lane; i < rowLength; i += 64) {
    y[i] = (x[i] - mean) * inverseDeviation * scale[i] + shift[i];
  }
}
