// stridedCopy over eight axes, for windows that stay apart in more than four (a Tile, a
// DepthToSpace, a Transpose of a high rank): axes 5 to 7 are the work-items', 0 to 4 are looped.
__kernel void strided_copy8_uint(__global const uint* restrict input,
                           __global uint* restrict output,
                           const int inputOffset, const int outputOffset,
                           const int extent0, const int extent1, const int extent2, const int extent3,
                           const int extent4,
                           const int in0, const int in1, const int in2, const int in3,
                           const int in4, const int in5, const int in6, const int in7,
                           const int out0, const int out1, const int out2, const int out3,
                           const int out4, const int out5, const int out6, const int out7) {
  const int i7 = get_global_id(0);
  const int i6 = get_global_id(1);
  const int i5 = get_global_id(2);
  __global const uint* from = input + inputOffset + i5 * in5 + i6 * in6 + i7 * in7;
  __global uint* to = output + outputOffset + i5 * out5 + i6 * out6 + i7 * out7;
  for (int i0 = 0; i0 < extent0; i0++) {
    for (int i1 = 0; i1 < extent1; i1++) {
      for (int i2 = 0; i2 < extent2; i2++) {
        for (int i3 = 0; i3 < extent3; i3++) {
          for (int i4 = 0; i4 < extent4; i4++) {
            to[i0 * out0 + i1 * out1 + i2 * out2 + i3 * out3 + i4 * out4] =
                from[i0 * in0 + i1 * in1 + i2 * in2 + i3 * in3 + i4 * in4];
          }
        }
      }
    }
  }
}
