// Tanh: y = tanh(x)
__kernel void tanh_f32(__global const float* restrict input,
                           __global float* restrict output,
                           const int count) {
  const int i = get_global_id(0);
  if (i >= count) {
    return;
  }
  const float x = input[i];
  output[i] = tanh(x);
}
