package oclc.codegen.opencl;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import oclc.artifact.Manifest.Argument;
import oclc.artifact.Manifest.Variant;
import oclc.ir.Dim;
import oclc.ir.Node;
import oclc.ir.ops.Axes;
import oclc.lowering.Dims;

/**
 * Trilu (the tensor seen as [batches, rows, columns]; k a scalar when known at compile time, else
 * read from its buffer) and OneHot (the output seen as [outer, depth, inner]; the two values read
 * from their buffer, so they may be graph inputs).
 */
public final class MaskLowering {
  private MaskLowering() {}

  public static final OpenClFamily FAMILY =
      OpenClFamily.builder()
          .op("Trilu", MaskLowering::trilu)
          .op("OneHot", MaskLowering::oneHot)
          .build();

  private static List<Variant> trilu(Node node, LoweringContext context) {
    String input = node.inputs().get(0);
    String output = node.outputs().get(0);
    List<Dim> shape = context.shape(input);
    if (shape.size() < 2) {
      throw new NotLowerableException("Trilu needs a tensor of rank 2 or more, not " + shape);
    }
    boolean upper = node.attributes().getInt("upper", 1) != 0;
    String k =
        node.inputs().size() > 1 && !node.inputs().get(1).isEmpty() ? node.inputs().get(1) : null;
    Optional<Dim> diagonal =
        k == null ? Optional.of(Dim.of(0)) : context.dims(k).map(d -> d.element(0));
    KernelSource kernel = MaskKernels.trilu(context.dtype(input), upper, diagonal.isEmpty());
    Dim rows = shape.get(shape.size() - 2);
    Dim columns = shape.get(shape.size() - 1);
    List<Argument> arguments = new ArrayList<>(List.of(context.read(input)));
    if (diagonal.isEmpty()) {
      arguments.add(context.read(k));
    }
    arguments.addAll(List.of(context.write(output), Scalars.of(rows), Scalars.of(columns)));
    diagonal.ifPresent(d -> arguments.add(new Argument.Long(d)));
    Dim batches = Dims.product(shape.subList(0, shape.size() - 2));
    return NodeLowering.single(
        context.dispatch(kernel, arguments, List.of(columns, rows, batches)));
  }

  private static List<Variant> oneHot(Node node, LoweringContext context) {
    String indices = node.inputs().get(0);
    String values = node.inputs().get(2);
    String output = node.outputs().get(0);
    List<Dim> indexShape = context.shape(indices);
    List<Dim> outShape = context.shape(output);
    int axis = Axes.normalize(node.attributes().getInt("axis", -1), outShape.size());
    Dim outer = Dims.product(indexShape.subList(0, axis));
    Dim inner = Dims.product(indexShape.subList(axis, indexShape.size()));
    Dim depth = outShape.get(axis);
    KernelSource kernel = MaskKernels.oneHot(context.dtype(output), context.dtype(indices));
    List<Argument> arguments =
        List.of(
            context.read(indices),
            context.read(values),
            context.write(output),
            Scalars.of(depth),
            Scalars.of(inner));
    return NodeLowering.single(context.dispatch(kernel, arguments, List.of(inner, depth, outer)));
  }
}
