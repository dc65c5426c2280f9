package oclc.codegen.opencl;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The launch geometry of a broadcast elementwise kernel: the output collapsed to three axes, with
 * each input's element stride per axis (0 where it is broadcast). Neighbouring axes merge when
 * every input treats them alike, so [batch, seq, 64] + [64] runs as [1, batch·seq, 64]. The kernel
 * then computes every address with multiply-adds, never a division.
 */
public record BroadcastGeometry(long[] extents, long[][] inputStrides) {

  public static BroadcastGeometry of(long[] output, long[]... inputs) {
    int rank = output.length;
    long[][] aligned = new long[inputs.length][];
    for (int k = 0; k < inputs.length; k++) {
      aligned[k] = aligned(inputs[k], rank);
    }
    // Collapse runs of axes with the same broadcast pattern, from the innermost out.
    List<long[]> axes = new ArrayList<>(); // {extent, stride of input 0, stride of input 1, ...}
    long[] strides = new long[inputs.length];
    Arrays.fill(strides, 1);
    for (int axis = rank - 1; axis >= 0; axis--) {
      if (output[axis] == 1) {
        continue;
      }
      long[] last = axes.isEmpty() ? null : axes.get(axes.size() - 1);
      boolean mergeable = last != null;
      for (int k = 0; k < inputs.length && mergeable; k++) {
        boolean broadcast = aligned[k][axis] == 1;
        mergeable = (last[k + 1] == 0) == broadcast && (broadcast || last[k + 1] * last[0] == strides[k]);
      }
      if (mergeable) {
        last[0] *= output[axis];
      } else {
        long[] entry = new long[inputs.length + 1];
        entry[0] = output[axis];
        for (int k = 0; k < inputs.length; k++) {
          entry[k + 1] = aligned[k][axis] == 1 ? 0 : strides[k];
        }
        axes.add(entry);
      }
      for (int k = 0; k < inputs.length; k++) {
        strides[k] *= aligned[k][axis];
      }
    }
    if (axes.size() > 3) {
      throw new IllegalArgumentException("broadcast of " + Arrays.deepToString(inputs) + " needs "
          + axes.size() + " axes; at most 3 are supported");
    }
    long[] extents = {1, 1, 1};
    long[][] inputStrides = new long[inputs.length][3];
    for (int i = 0; i < axes.size(); i++) {
      extents[2 - i] = axes.get(i)[0];
      for (int k = 0; k < inputs.length; k++) {
        inputStrides[k][2 - i] = axes.get(i)[k + 1];
      }
    }
    return new BroadcastGeometry(extents, inputStrides);
  }

  private static long[] aligned(long[] shape, int rank) {
    long[] out = new long[rank];
    Arrays.fill(out, 1);
    System.arraycopy(shape, 0, out, rank - shape.length, shape.length);
    return out;
  }

  /** The global work size, innermost axis first, as the kernel reads its ids. */
  public long[] globalSize() {
    return new long[] {extents[2], extents[1], extents[0]};
  }

  /** The kernel's integer arguments after its buffers: extents 1 and 2, then each input's strides. */
  public long[] scalarArguments() {
    long[] args = new long[2 + 3 * inputStrides.length];
    args[0] = extents[1];
    args[1] = extents[2];
    for (int k = 0; k < inputStrides.length; k++) {
      System.arraycopy(inputStrides[k], 0, args, 2 + 3 * k, 3);
    }
    return args;
  }
}
