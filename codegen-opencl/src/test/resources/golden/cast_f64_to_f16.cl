#pragma OPENCL EXTENSION cl_khr_fp64 : enable

// Cast float64 to float16: y = (float)x
__kernel void cast_f64_to_f16(__global const double* restrict input,
                           __global half* restrict output,
                           const int count) {
  const int i = get_global_id(0);
  if (i >= count) {
    return;
  }
  const double x = input[i];
  vstore_half_rte((float)x, i, output);
}
