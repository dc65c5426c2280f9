// stridedCopy when the innermost axis is contiguous in the output but not in the input (a Transpose
// that moves the last axis, such as attention's Kᵀ): each work-item gathers a run of 16
// neighbouring output elements along the input's stride in3 and stores them with one vector store;
// the last, shorter run element by element.
__kernel void gather_run_copy_uint16(__global const uint* restrict input,
                           __global uint* restrict output,
                           const int inputOffset, const int outputOffset, const int extent0, const int extent3,
                           const int in0, const int in1, const int in2, const int in3,
                           const int out0, const int out1, const int out2) {
  const int i3 = get_global_id(0) * 16;
  const int i2 = get_global_id(1);
  const int i1 = get_global_id(2);
  __global const uint* from = input + inputOffset + i1 * in1 + i2 * in2 + i3 * in3;
  __global uint* to = output + outputOffset + i1 * out1 + i2 * out2 + i3;
  if (i3 + 16 <= extent3) {
    for (int i0 = 0; i0 < extent0; i0++) {
      __global const uint* f = from + i0 * in0;
      vstore16((uint16)(f[0 * in3], f[1 * in3], f[2 * in3], f[3 * in3], f[4 * in3], f[5 * in3], f[6 * in3], f[7 * in3], f[8 * in3], f[9 * in3], f[10 * in3], f[11 * in3], f[12 * in3], f[13 * in3], f[14 * in3], f[15 * in3]), 0, to + i0 * out0);
    }
  } else {
    for (int i0 = 0; i0 < extent0; i0++) {
      for (int j = 0; i3 + j < extent3; j++) {
        to[i0 * out0 + j] = from[i0 * in0 + j * in3];
      }
    }
  }
}
