package oclc.lowering;

import java.util.ArrayList;
import java.util.List;
import oclc.ir.Dim;

/**
 * A strided copy of a window of elements: per axis its extent, its input stride and its output
 * stride (in elements), and the two offsets, all dims. Axes of extent 1 are dropped and neighbours
 * that stay contiguous on both sides merge, leaving four axes (the {@code stridedCopy} kernel, or
 * {@code runCopy} when the innermost is contiguous in the output) or, when more stay apart, eight
 * (the {@code wideStridedCopy} kernel), addressed with multiply-adds.
 */
public record CopyGeometry(
    List<Dim> extents,
    List<Dim> inputStrides,
    List<Dim> outputStrides,
    Dim inputOffset,
    Dim outputOffset) {

  /**
   * The most axes a copy kernel addresses: {@code stridedCopy} takes four, {@code wideStridedCopy}
   * eight.
   */
  public static final int MAX_AXES = 8;

  /** The general form: any window, any strides. */
  public static CopyGeometry of(
      List<Dim> extents,
      List<Dim> inputStrides,
      List<Dim> outputStrides,
      Dim inputOffset,
      Dim outputOffset) {
    StridedAxes axes = StridedAxes.collapse(extents, List.of(inputStrides, outputStrides));
    axes = axes.padded(axes.rank() <= 4 ? 4 : MAX_AXES);
    return new CopyGeometry(
        axes.extents(), axes.strides(0), axes.strides(1), inputOffset, outputOffset);
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
  public static CopyGeometry slice(
      List<Dim> inputShape, List<Dim> outputShape, List<Dim> starts, long[] steps) {
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
  public static CopyGeometry concatPart(
      List<Dim> inputShape, List<Dim> outputShape, int axis, Dim offset) {
    List<Dim> outStrides = Dims.rowMajorStrides(outputShape);
    return of(
        inputShape,
        Dims.rowMajorStrides(inputShape),
        outStrides,
        Dim.of(0),
        offset.times(outStrides.get(axis)));
  }

  /**
   * Tile: output axis a of extent repeats[a]·n[a] walked as two axes (the repeat, stride 0, then
   * the input's axis).
   */
  public static CopyGeometry tile(List<Dim> inputShape, List<Dim> repeats) {
    List<Dim> inStrides = Dims.rowMajorStrides(inputShape);
    List<Dim> extents = new ArrayList<>();
    List<Dim> strides = new ArrayList<>();
    for (int a = 0; a < inputShape.size(); a++) {
      extents.addAll(List.of(repeats.get(a), inputShape.get(a)));
      strides.addAll(List.of(Dim.of(0), inStrides.get(a)));
    }
    return of(extents, strides, Dims.rowMajorStrides(extents), Dim.of(0), Dim.of(0));
  }

  /**
   * DepthToSpace of NCHW: the output [N, C', H·b, W·b] walked as [N, C', H, b, W, b], each element
   * read from channel (row·b + column)·C' + c (DCR) or (c·b + row)·b + column (CRD).
   */
  public static CopyGeometry depthToSpace(
      List<Dim> inputShape, List<Dim> outputShape, long block, boolean crd) {
    List<Dim> in = Dims.rowMajorStrides(inputShape);
    Dim channels = outputShape.get(1);
    Dim b = Dim.of(block);
    List<Dim> extents =
        List.of(inputShape.get(0), channels, inputShape.get(2), b, inputShape.get(3), b);
    List<Dim> strides =
        crd
            ? List.of(
                in.get(0),
                in.get(1).times(block * block),
                in.get(2),
                in.get(1).times(block),
                in.get(3),
                in.get(1))
            : List.of(
                in.get(0),
                in.get(1),
                in.get(2),
                in.get(1).times(channels).times(block),
                in.get(3),
                in.get(1).times(channels));
    return of(extents, strides, Dims.rowMajorStrides(extents), Dim.of(0), Dim.of(0));
  }

  /**
   * SpaceToDepth of NCHW: the output [N, b·b·C, H', W'] walked as [N, b, b, C, H', W'], each
   * element read from pixel (h'·b + row, w'·b + column) of channel c.
   */
  public static CopyGeometry spaceToDepth(List<Dim> inputShape, List<Dim> outputShape, long block) {
    List<Dim> in = Dims.rowMajorStrides(inputShape);
    Dim b = Dim.of(block);
    List<Dim> extents =
        List.of(inputShape.get(0), b, b, inputShape.get(1), outputShape.get(2), outputShape.get(3));
    List<Dim> strides =
        List.of(
            in.get(0),
            in.get(2),
            in.get(3),
            in.get(1),
            in.get(2).times(block),
            in.get(3).times(block));
    return of(extents, strides, Dims.rowMajorStrides(extents), Dim.of(0), Dim.of(0));
  }

  /** 4 or 8. */
  public int axisCount() {
    return extents.size();
  }

  /** The elements a work-item of the {@code runCopy} kernel moves along the innermost axis. */
  public static final int RUN = 16;

  /**
   * Whether the innermost of four axes is contiguous in the output (stride 1), so that the {@code
   * runCopy} kernel writes it in vector runs of {@link #RUN}: element by element, a work-item's
   * overhead was the copy's whole cost (3–9 GB/s on POCL).
   */
  public boolean outputRuns() {
    return extents.size() == 4
        && !Dims.isOne(extents.getLast())
        && Dims.isOne(outputStrides.getLast());
  }

  /**
   * Whether the runs are contiguous in the input as well: each is one vector load, not a gather
   * along its stride.
   */
  public boolean contiguousRuns() {
    return outputRuns() && Dims.isOne(inputStrides.getLast());
  }

  /**
   * Global size: the innermost three axes (the outer ones are looped inside each work-item), the
   * innermost in runs of {@link #RUN} for the run kernel.
   */
  public List<Dim> globalSize() {
    int n = extents.size();
    Dim innermost = outputRuns() ? extents.get(n - 1).ceilDiv(Dim.of(RUN)) : extents.get(n - 1);
    return List.of(innermost, extents.get(n - 2), extents.get(n - 3));
  }

  /**
   * The kernel's integer arguments: offsets, the looped extents, input strides, output strides; for
   * the run kernel, offsets, the looped and the innermost extent, the input strides (the innermost
   * only when it gathers) and the output strides of the other three axes.
   */
  public List<Dim> scalarArguments() {
    List<Dim> args = new ArrayList<>(List.of(inputOffset, outputOffset));
    if (outputRuns()) {
      args.addAll(List.of(extents.get(0), extents.get(3)));
      args.addAll(inputStrides.subList(0, contiguousRuns() ? 3 : 4));
      args.addAll(outputStrides.subList(0, 3));
      return args;
    }
    args.addAll(extents.subList(0, extents.size() - 3));
    args.addAll(inputStrides);
    args.addAll(outputStrides);
    return args;
  }
}
