// Clip: y = min(max(x, low), high)
__kernel void clip_u8(__global const uchar* restrict input,
                           __global const uchar* restrict lowest,
                           __global const uchar* restrict highest,
                           __global uchar* restrict output,
                           const int count) {
  const int i = get_global_id(0);
  if (i >= count) {
    return;
  }
  const ulong low = lowest[0];
  const ulong high = highest[0];
  const ulong x = input[i];
  output[i] = min(max(x, low), high);
}
