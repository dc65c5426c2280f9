package oclc.codegen.opencl;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import oclc.artifact.Manifest.Argument;
import oclc.artifact.Manifest.Variant;
import oclc.ir.DType;
import oclc.ir.Dim;
import oclc.ir.Node;
import oclc.ir.Tensor;
import oclc.ir.ops.Axes;
import oclc.lowering.Dims;

/**
 * Pad in constant, edge, wrap or reflect mode, with pads (and axes) known at compile time. The pad
 * value is read from a buffer: the constant_value input (a param, or a graph input), or a param
 * holding the value attribute (before opset 11) or zero.
 */
public final class PadLowering implements NodeLowering {
  private static final List<String> MODES = List.of("constant", "edge", "wrap", "reflect");

  /** One axis of the padded window: output extent, input size, begin pad, input stride. */
  private record Axis(Dim extent, Dim size, Dim begin, Dim stride) {
    boolean unpadded() {
      return extent.equals(size) && begin.equals(Dim.of(0));
    }
  }

  @Override
  public List<Variant> lower(Node node, LoweringContext context) {
    String input = node.inputs().get(0);
    String output = node.outputs().get(0);
    String mode = node.attributes().getString("mode", "constant");
    if (!MODES.contains(mode)) {
      throw new NotLowerableException("no pad kernel for mode '" + mode + "'");
    }
    List<Dim> inShape = context.shape(input);
    List<Dim> outShape = context.shape(output);
    List<Dim> begins = begins(node, context, inShape.size());
    List<Dim> strides = Dims.rowMajorStrides(inShape);
    List<Axis> axes = new ArrayList<>();
    for (int a = 0; a < inShape.size(); a++) {
      Axis axis = new Axis(outShape.get(a), inShape.get(a), begins.get(a), strides.get(a));
      if (!mode.equals("constant") && inShape.get(a).constantValue().orElse(1L) == 0) {
        throw new NotLowerableException(mode + " padding of an empty axis");
      }
      Axis last = axes.isEmpty() ? null : axes.getLast();
      if (last != null && axis.unpadded() && (last.unpadded() || mode.equals("constant"))) {
        Dim n = axis.extent();
        axes.set(
            axes.size() - 1,
            new Axis(
                last.extent().times(n),
                last.size().times(n),
                last.begin().times(n),
                axis.stride()));
      } else if (!(axis.unpadded() && Dims.isOne(axis.extent()))) {
        axes.add(axis);
      }
    }
    if (axes.size() > 4) {
      throw new NotLowerableException(
          "a pad over " + inShape + " needs " + axes.size() + " axes; at most 4 are supported");
    }
    while (axes.size() < 4) {
      axes.addFirst(new Axis(Dim.of(1), Dim.of(1), Dim.of(0), Dim.of(0)));
    }
    KernelSource kernel = kernel(context.dtype(input), mode);
    List<Argument> arguments =
        new ArrayList<>(
            List.of(
                context.read(input),
                padValue(node, context, output),
                context.write(output),
                Scalars.of(axes.getFirst().extent())));
    axes.forEach(a -> arguments.add(Scalars.of(a.size())));
    axes.forEach(a -> arguments.add(Scalars.of(a.begin())));
    axes.forEach(a -> arguments.add(Scalars.of(a.stride())));
    List<Dim> extents = axes.stream().map(Axis::extent).toList();
    arguments.addAll(Scalars.ints(Dims.rowMajorStrides(extents)));
    return NodeLowering.single(
        context.dispatch(
            kernel, arguments, List.of(extents.get(3), extents.get(2), extents.get(1))));
  }

  /** The pad kernel of {@code mode} for elements of {@code dtype}. */
  static KernelSource kernel(DType dtype, String mode) {
    String elementType = MovementKernels.bitsOf(dtype);
    String kernelName = "pad_" + mode + "_" + elementType;
    return KernelSource.rendered(
        "movement", "pad", kernelName, Map.of("elementType", elementType, "mode", mode));
  }

  /** The begin pad of every axis (negative: a crop). */
  private static List<Dim> begins(Node node, LoweringContext context, int rank) {
    List<Dim> given;
    if (context.graph().opset("") < 11) {
      given = Dims.of(node.attributes().getInts("pads"));
    } else {
      given =
          context
              .dims(node.inputs().get(1))
              .orElseThrow(() -> new NotLowerableException("Pad's pads are known only at run time"))
              .elements();
    }
    long[] axes = new long[given.size() / 2];
    boolean axesGiven = node.inputs().size() > 3 && !node.inputs().get(3).isEmpty();
    for (int i = 0; i < axes.length; i++) {
      axes[i] =
          axesGiven
              ? Axes.normalize(
                  context
                      .dims(node.inputs().get(3))
                      .orElseThrow(
                          () -> new NotLowerableException("Pad's axes are known only at run time"))
                      .element(i)
                      .constant(),
                  rank)
              : i;
    }
    List<Dim> begins = new ArrayList<>(java.util.Collections.nCopies(rank, Dim.of(0)));
    for (int i = 0; i < axes.length; i++) {
      begins.set((int) axes[i], given.get(i));
    }
    return begins;
  }

  private static Argument.Buffer padValue(Node node, LoweringContext context, String output) {
    if (context.graph().opset("") >= 11
        && node.inputs().size() > 2
        && !node.inputs().get(2).isEmpty()) {
      return context.read(node.inputs().get(2));
    }
    DType dtype = context.dtype(output);
    Tensor value = Tensor.allocate(dtype, new long[] {1});
    value.setDouble(
        0, context.graph().opset("") < 11 ? node.attributes().getFloat("value", 0f) : 0.0);
    return context.param(output + ".pad_value", value);
  }
}
