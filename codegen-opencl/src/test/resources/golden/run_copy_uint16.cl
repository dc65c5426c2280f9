// stridedCopy when the innermost axis is contiguous in the output and in the input (a Split, a
// Slice of whole rows, a Transpose that keeps the last axis): each work-item moves a run of 16
// neighbouring elements with one vector load and store; the last, shorter run element by element.
__kernel void run_copy_uint16(__global const uint* restrict input,
                           __global uint* restrict output,
                           const int inputOffset, const int outputOffset, const int extent0, const int extent3,
                           const int in0, const int in1, const int in2,
                           const int out0, const int out1, const int out2) {
  const int i3 = get_global_id(0) * 16;
  const int i2 = get_global_id(1);
  const int i1 = get_global_id(2);
  __global const uint* from = input + inputOffset + i1 * in1 + i2 * in2 + i3;
  __global uint* to = output + outputOffset + i1 * out1 + i2 * out2 + i3;
  if (i3 + 16 <= extent3) {
    for (int i0 = 0; i0 < extent0; i0++) {
      vstore16(vload16(0, from + i0 * in0), 0, to + i0 * out0);
    }
  } else {
    for (int i0 = 0; i0 < extent0; i0++) {
      for (int j = 0; i3 + j < extent3; j++) {
        to[i0 * out0 + j] = from[i0 * in0 + j];
      }
    }
  }
}
