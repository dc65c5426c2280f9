package oclc.codegen.opencl;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The launch geometry of a broadcast binary kernel: the output collapsed to three axes, with each
 * input's element stride per axis (0 where it is broadcast). Neighbouring axes merge when both
 * inputs treat them alike, so [batch, seq, 64] + [64] runs as [1, batch·seq, 64]. The kernel then
 * computes every address with multiply-adds, never a division.
 */
public record BroadcastGeometry(long[] extents, long[] leftStrides, long[] rightStrides) {

  public static BroadcastGeometry of(long[] output, long[] left, long[] right) {
    int rank = output.length;
    long[] l = aligned(left, rank);
    long[] r = aligned(right, rank);
    // Collapse runs of axes with the same broadcast pattern, from the innermost out.
    List<long[]> axes = new ArrayList<>(); // {extent, leftStride, rightStride}
    long leftStride = 1;
    long rightStride = 1;
    for (int axis = rank - 1; axis >= 0; axis--) {
      if (output[axis] == 1) {
        continue;
      }
      boolean leftBroadcast = l[axis] == 1;
      boolean rightBroadcast = r[axis] == 1;
      long[] last = axes.isEmpty() ? null : axes.get(axes.size() - 1);
      boolean mergeable = last != null
          && (last[1] == 0) == leftBroadcast && (last[2] == 0) == rightBroadcast
          && (leftBroadcast || last[1] * last[0] == leftStride)
          && (rightBroadcast || last[2] * last[0] == rightStride);
      if (mergeable) {
        last[0] *= output[axis];
      } else {
        axes.add(new long[] {output[axis], leftBroadcast ? 0 : leftStride, rightBroadcast ? 0 : rightStride});
      }
      leftStride *= l[axis];
      rightStride *= r[axis];
    }
    if (axes.size() > 3) {
      throw new IllegalArgumentException("broadcast of " + Arrays.toString(left) + " and " + Arrays.toString(right)
          + " needs " + axes.size() + " axes; at most 3 are supported");
    }
    long[] extents = {1, 1, 1};
    long[] ls = {0, 0, 0};
    long[] rs = {0, 0, 0};
    for (int i = 0; i < axes.size(); i++) {
      extents[2 - i] = axes.get(i)[0];
      ls[2 - i] = axes.get(i)[1];
      rs[2 - i] = axes.get(i)[2];
    }
    return new BroadcastGeometry(extents, ls, rs);
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
}
