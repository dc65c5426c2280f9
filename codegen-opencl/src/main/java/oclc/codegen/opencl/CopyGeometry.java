package oclc.codegen.opencl;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import oclc.ir.Tensor;

/**
 * A strided copy of a window of elements: per axis its extent, its input stride and its output
 * stride (in elements), and the two offsets. Axes of extent 1 are dropped and neighbours that stay
 * contiguous on both sides merge, leaving at most four, which the {@code stridedCopy} kernel
 * addresses with multiply-adds.
 */
public record CopyGeometry(long[] extents, long[] inputStrides, long[] outputStrides, long inputOffset,
    long outputOffset) {

  /** The general form: any window, any strides. */
  public static CopyGeometry of(long[] extents, long[] inputStrides, long[] outputStrides, long inputOffset,
      long outputOffset) {
    List<long[]> axes = new ArrayList<>(); // {extent, in, out}, outermost first
    for (int a = 0; a < extents.length; a++) {
      if (extents[a] == 1) {
        continue;
      }
      long[] last = axes.isEmpty() ? null : axes.get(axes.size() - 1);
      if (last != null && last[1] == inputStrides[a] * extents[a] && last[2] == outputStrides[a] * extents[a]) {
        last[0] *= extents[a];
        last[1] = inputStrides[a];
        last[2] = outputStrides[a];
      } else {
        axes.add(new long[] {extents[a], inputStrides[a], outputStrides[a]});
      }
    }
    if (axes.size() > 4) {
      throw new IllegalArgumentException("a copy over " + Arrays.toString(extents) + " needs " + axes.size()
          + " axes; at most 4 are supported");
    }
    while (axes.size() < 4) {
      axes.add(0, new long[] {1, 0, 0});
    }
    long[] e = new long[4];
    long[] in = new long[4];
    long[] out = new long[4];
    for (int i = 0; i < 4; i++) {
      e[i] = axes.get(i)[0];
      in[i] = axes.get(i)[1];
      out[i] = axes.get(i)[2];
    }
    return new CopyGeometry(e, in, out, inputOffset, outputOffset);
  }

  /** Transpose: output axis i reads input axis perm[i]. */
  public static CopyGeometry transpose(long[] inputShape, long[] perm) {
    long[] inStrides = Tensor.rowMajorStrides(inputShape);
    long[] extents = new long[perm.length];
    long[] strides = new long[perm.length];
    for (int i = 0; i < perm.length; i++) {
      extents[i] = inputShape[(int) perm[i]];
      strides[i] = inStrides[(int) perm[i]];
    }
    return of(extents, strides, Tensor.rowMajorStrides(extents), 0, 0);
  }

  /** Slice (and each output of Split): per axis a start and a step, already clamped. */
  public static CopyGeometry slice(long[] inputShape, long[] outputShape, long[] starts, long[] steps) {
    long[] inStrides = Tensor.rowMajorStrides(inputShape);
    long[] strides = new long[inputShape.length];
    long offset = 0;
    for (int a = 0; a < inputShape.length; a++) {
      strides[a] = inStrides[a] * steps[a];
      offset += starts[a] * inStrides[a];
    }
    return of(outputShape, strides, Tensor.rowMajorStrides(outputShape), offset, 0);
  }

  /** Expand: the input broadcast to the output (stride 0 where the input has size 1). */
  public static CopyGeometry expand(long[] inputShape, long[] outputShape) {
    long[] inStrides = Tensor.rowMajorStrides(inputShape);
    long[] strides = new long[outputShape.length];
    for (int a = 0; a < outputShape.length; a++) {
      int inputAxis = a - (outputShape.length - inputShape.length);
      strides[a] = inputAxis < 0 || inputShape[inputAxis] == 1 ? 0 : inStrides[inputAxis];
    }
    return of(outputShape, strides, Tensor.rowMajorStrides(outputShape), 0, 0);
  }

  /** One input of a Concat: copied whole into the output from {@code offset} along {@code axis}. */
  public static CopyGeometry concatPart(long[] inputShape, long[] outputShape, int axis, long offset) {
    long[] outStrides = Tensor.rowMajorStrides(outputShape);
    return of(inputShape, Tensor.rowMajorStrides(inputShape), outStrides, 0, offset * outStrides[axis]);
  }

  /** Global size: axes 3, 2, 1 (axis 0 is looped inside each work-item). */
  public long[] globalSize() {
    return new long[] {extents[3], extents[2], extents[1]};
  }
}
