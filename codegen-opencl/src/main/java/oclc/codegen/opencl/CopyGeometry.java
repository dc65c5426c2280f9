package oclc.codegen.opencl;

import java.util.ArrayList;
import java.util.List;
import oclc.ir.Dim;

/**
 * A strided copy of a window of elements: per axis its extent, its input stride and its output
 * stride (in elements), and the two offsets, all dims. Axes of extent 1 are dropped and neighbours
 * that stay contiguous on both sides merge, leaving at most four, which the {@code stridedCopy}
 * kernel addresses with multiply-adds.
 */
public record CopyGeometry(List<Dim> extents, List<Dim> inputStrides, List<Dim> outputStrides, Dim inputOffset,
    Dim outputOffset) {

  /** The general form: any window, any strides. */
  public static CopyGeometry of(List<Dim> extents, List<Dim> inputStrides, List<Dim> outputStrides,
      Dim inputOffset, Dim outputOffset) {
    List<Dim[]> axes = new ArrayList<>(); // {extent, in, out}, outermost first
    for (int a = 0; a < extents.size(); a++) {
      Dim extent = extents.get(a);
      if (Dims.isOne(extent)) {
        continue;
      }
      Dim[] last = axes.isEmpty() ? null : axes.get(axes.size() - 1);
      if (last != null && last[1].equals(inputStrides.get(a).times(extent))
          && last[2].equals(outputStrides.get(a).times(extent))) {
        last[0] = last[0].times(extent);
        last[1] = inputStrides.get(a);
        last[2] = outputStrides.get(a);
      } else {
        axes.add(new Dim[] {extent, inputStrides.get(a), outputStrides.get(a)});
      }
    }
    if (axes.size() > 4) {
      throw new IllegalArgumentException("a copy over " + extents + " needs " + axes.size()
          + " axes; at most 4 are supported");
    }
    while (axes.size() < 4) {
      axes.add(0, new Dim[] {Dim.of(1), Dim.of(0), Dim.of(0)});
    }
    List<Dim> e = new ArrayList<>();
    List<Dim> in = new ArrayList<>();
    List<Dim> out = new ArrayList<>();
    for (Dim[] axis : axes) {
      e.add(axis[0]);
      in.add(axis[1]);
      out.add(axis[2]);
    }
    return new CopyGeometry(List.copyOf(e), List.copyOf(in), List.copyOf(out), inputOffset, outputOffset);
  }

  /** Transpose: output axis i reads input axis perm[i]. */
  public static CopyGeometry transpose(List<Dim> inputShape, long[] perm) {
    return transpose(inputShape, Dims.rowMajorStrides(inputShape), perm);
  }

  /** Transpose of an input laid out with these strides (a KV cache at its capacity). */
  public static CopyGeometry transpose(List<Dim> inputShape, List<Dim> inStrides, long[] perm) {
    List<Dim> extents = new ArrayList<>();
    List<Dim> strides = new ArrayList<>();
    for (long p : perm) {
      extents.add(inputShape.get((int) p));
      strides.add(inStrides.get((int) p));
    }
    return of(extents, strides, Dims.rowMajorStrides(extents), Dim.of(0), Dim.of(0));
  }

  /** Slice (and each output of Split): per axis a start and a step, already clamped. */
  public static CopyGeometry slice(List<Dim> inputShape, List<Dim> outputShape, List<Dim> starts, long[] steps) {
    List<Dim> inStrides = Dims.rowMajorStrides(inputShape);
    List<Dim> strides = new ArrayList<>();
    Dim offset = Dim.of(0);
    for (int a = 0; a < inputShape.size(); a++) {
      strides.add(inStrides.get(a).times(steps[a]));
      offset = offset.plus(starts.get(a).times(inStrides.get(a)));
    }
    return of(outputShape, strides, Dims.rowMajorStrides(outputShape), offset, Dim.of(0));
  }

  /** Expand: the input broadcast to the output (stride 0 where the input has size 1). */
  public static CopyGeometry expand(List<Dim> inputShape, List<Dim> outputShape) {
    List<Dim> inStrides = Dims.rowMajorStrides(inputShape);
    List<Dim> strides = new ArrayList<>();
    for (int a = 0; a < outputShape.size(); a++) {
      int inputAxis = a - (outputShape.size() - inputShape.size());
      boolean broadcast = inputAxis < 0 || Dims.isOne(inputShape.get(inputAxis));
      strides.add(broadcast ? Dim.of(0) : inStrides.get(inputAxis));
    }
    return of(outputShape, strides, Dims.rowMajorStrides(outputShape), Dim.of(0), Dim.of(0));
  }

  /** One input of a Concat: copied whole into the output from {@code offset} along {@code axis}. */
  public static CopyGeometry concatPart(List<Dim> inputShape, List<Dim> outputShape, int axis, Dim offset) {
    List<Dim> outStrides = Dims.rowMajorStrides(outputShape);
    return of(inputShape, Dims.rowMajorStrides(inputShape), outStrides, Dim.of(0), offset.times(outStrides.get(axis)));
  }

  /** Global size: axes 3, 2, 1 (axis 0 is looped inside each work-item). */
  public List<Dim> globalSize() {
    return List.of(extents.get(3), extents.get(2), extents.get(1));
  }

  /** The kernel's integer arguments: offsets, extent 0, input strides, output strides. */
  public List<Dim> scalarArguments() {
    List<Dim> args = new ArrayList<>(List.of(inputOffset, outputOffset, extents.get(0)));
    args.addAll(inputStrides);
    args.addAll(outputStrides);
    return args;
  }
}
