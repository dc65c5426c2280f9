package oclc.codegen.cpu.kernels;

import java.util.ArrayList;
import java.util.List;

/**
 * How a kernel walks an output and the operands it reads element for element: the output's axes
 * with each operand's element strides (0 where it broadcasts), neighbouring axes merged where every
 * operand stays contiguous across them, then split into an inner run (the last axis) and outer rows
 * whose start offsets are tabled once at bind time.
 */
final class Walk {
  /**
   * Outer rows × operands: each row's first element per operand (elements, from the operand's
   * start).
   */
  final int[][] rowOffsets;

  /**
   * The inner run's length and each operand's stride along it (0 broadcasts, 1 is contiguous, else
   * strided).
   */
  final int inner;

  final int[] innerStrides;

  private Walk(int[][] rowOffsets, int inner, int[] innerStrides) {
    this.rowOffsets = rowOffsets;
    this.inner = inner;
    this.innerStrides = innerStrides;
  }

  int rows() {
    return rowOffsets[0].length;
  }

  /**
   * {@code strides[o][a]}: operand o's element stride along output axis a (0 to broadcast); the
   * first operand is usually the output itself.
   */
  static Walk of(long[] extents, long[][] strides) {
    List<Long> merged = new ArrayList<>();
    List<long[]> mergedStrides = new ArrayList<>();
    for (int a = 0; a < extents.length; a++) {
      if (extents[a] == 1) {
        continue;
      }
      long[] s = new long[strides.length];
      for (int o = 0; o < strides.length; o++) {
        s[o] = strides[o][a];
      }
      int last = merged.size() - 1;
      if (last >= 0 && mergeable(mergedStrides.get(last), s, extents[a])) {
        merged.set(last, merged.get(last) * extents[a]);
        mergedStrides.set(last, s);
      } else {
        merged.add(extents[a]);
        mergedStrides.add(s);
      }
    }
    if (merged.isEmpty()) {
      merged.add(1L);
      mergedStrides.add(new long[strides.length]);
    }
    int axes = merged.size();
    int inner = (int) (long) merged.get(axes - 1);
    int[] innerStrides = new int[strides.length];
    for (int o = 0; o < strides.length; o++) {
      innerStrides[o] = (int) mergedStrides.get(axes - 1)[o];
    }
    long rows = 1;
    for (int a = 0; a < axes - 1; a++) {
      rows *= merged.get(a);
    }
    int[][] offsets = new int[strides.length][(int) rows];
    long[] index = new long[Math.max(0, axes - 1)];
    for (int r = 0; r < rows; r++) {
      for (int o = 0; o < strides.length; o++) {
        long offset = 0;
        for (int a = 0; a < axes - 1; a++) {
          offset += index[a] * mergedStrides.get(a)[o];
        }
        offsets[o][r] = (int) offset;
      }
      for (int a = axes - 2; a >= 0; a--) {
        if (++index[a] < merged.get(a)) {
          break;
        }
        index[a] = 0;
      }
    }
    return new Walk(offsets, inner, innerStrides);
  }

  /** Axis b follows axis a in one run for every operand when a's stride is b's times b's extent. */
  private static boolean mergeable(long[] outer, long[] inner, long innerExtent) {
    for (int o = 0; o < outer.length; o++) {
      if (outer[o] != inner[o] * innerExtent) {
        return false;
      }
    }
    return true;
  }

  /**
   * The walk of an elementwise launch: {@code buffers} holds the inputs and then the output; the
   * strides are the output's first, then each input's broadcast to it.
   */
  static Walk broadcasting(Operand[] buffers) {
    int inputs = buffers.length - 1;
    Operand out = buffers[inputs];
    long[][] strides = new long[inputs + 1][];
    strides[0] = out.strides();
    for (int i = 0; i < inputs; i++) {
      strides[i + 1] = broadcastStrides(buffers[i], out.shape());
    }
    return of(out.shape(), strides);
  }

  /**
   * An operand's strides along the output's axes: right-aligned, 0 where it has size 1 (or lacks
   * the axis).
   */
  static long[] broadcastStrides(Operand operand, long[] outputShape) {
    long[] strides = new long[outputShape.length];
    int shift = outputShape.length - operand.rank();
    for (int a = 0; a < outputShape.length; a++) {
      int own = a - shift;
      strides[a] = own < 0 || operand.shape()[own] == 1 ? 0 : operand.strides()[own];
    }
    return strides;
  }
}
