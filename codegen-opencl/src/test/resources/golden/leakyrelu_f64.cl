#pragma OPENCL EXTENSION cl_khr_fp64 : enable

// LeakyRelu: y = x >= 0.0f ? x : alpha * x
__kernel void leakyrelu_f64(__global const double* restrict input,
                           __global double* restrict output,
                           const int count,
                           const float alpha) {
  const int i = get_global_id(0);
  if (i >= count) {
    return;
  }
  const double x = input[i];
  output[i] = x >= 0.0f ? x : alpha * x;
}
