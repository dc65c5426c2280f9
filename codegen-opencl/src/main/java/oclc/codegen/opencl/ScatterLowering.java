package oclc.codegen.opencl;

import java.util.ArrayList;
import java.util.List;
import oclc.artifact.Manifest.Argument;
import oclc.artifact.Manifest.Dispatch;
import oclc.artifact.Manifest.Variant;
import oclc.ir.DType;
import oclc.ir.Dim;
import oclc.ir.Node;
import oclc.ir.ops.Axes;
import oclc.lowering.CopyGeometry;
import oclc.lowering.Dims;
import oclc.lowering.StridedAxes;

/**
 * ScatterElements, Scatter and ScatterND as two dispatches: the data copied into the output, then
 * the updates written (or combined) in place. Updates that can meet on one element are applied by
 * one work-item in the reference's order, so duplicate indices give the reference's result.
 */
public final class ScatterLowering {
  private ScatterLowering() {}

  public static final OpenClFamily FAMILY =
      OpenClFamily.builder()
          .everyOp((node, context) -> lower(node, context, false))
          .op("ScatterND", (node, context) -> lower(node, context, true))
          .build();

  /** {@code tuples}: ScatterND's index tuples, else indices along an axis. */
  private static List<Variant> lower(Node node, LoweringContext context, boolean tuples) {
    String data = node.inputs().get(0);
    String indices = node.inputs().get(1);
    String updates = node.inputs().get(2);
    String output = node.outputs().get(0);
    List<Dim> shape = context.shape(data);
    DType dtype = context.dtype(data);
    String reduction = node.attributes().getString("reduction", "none");
    List<Dim> strides = Dims.rowMajorStrides(shape);
    CopyGeometry whole = CopyGeometry.of(shape, strides, strides, Dim.of(0), Dim.of(0));
    List<Argument> copyArguments =
        new ArrayList<>(List.of(context.read(data), context.write(output)));
    copyArguments.addAll(Scalars.ints(whole.scalarArguments()));
    Dispatch copy =
        context.dispatch(
            MovementKernels.stridedCopy(dtype, whole), copyArguments, whole.globalSize());
    Target target = new Target(shape, strides, indices, updates, output, reduction);
    Dispatch scatter = tuples ? nd(context, target) : alongAxis(node, context, target);
    return List.of(new Variant(scatter.kernel(), List.of(), List.of(copy, scatter)));
  }

  /** One work-item per position of the indices off the axis; it walks the axis in order. */
  private static Dispatch alongAxis(Node node, LoweringContext context, Target target) {
    List<Dim> shape = target.shape();
    List<Dim> strides = target.strides();
    String indices = target.indices();
    int axis = Axes.normalize(node.attributes().getInt("axis", 0), shape.size());
    List<Dim> indexShape = context.shape(indices);
    List<Dim> indexStrides = Dims.rowMajorStrides(indexShape);
    List<Dim> extents = new ArrayList<>(indexShape);
    List<Dim> outStrides = new ArrayList<>(strides);
    extents.remove(axis);
    indexStrides = new ArrayList<>(indexStrides);
    Dim axisIndexStride = indexStrides.remove(axis);
    outStrides.remove(axis);
    StridedAxes axes =
        StridedAxes.collapse(extents, List.of(indexStrides, outStrides))
            .padded(3)
            .withOuterAxis(indexShape.get(axis), List.of(axisIndexStride, Dim.of(0)));
    KernelSource kernel =
        ScatterKernels.axis(
            context.dtype(target.output()), context.dtype(indices), target.reduction());
    List<Argument> arguments = target.buffers(context);
    arguments.addAll(
        List.of(
            Scalars.of(shape.get(axis)),
            Scalars.of(strides.get(axis)),
            Scalars.of(axes.extents().get(0))));
    arguments.addAll(Scalars.ints(axes.strides(0)));
    arguments.addAll(Scalars.ints(axes.strides(1).subList(1, 4)));
    List<Dim> e = axes.extents();
    return context.dispatch(kernel, arguments, List.of(e.get(3), e.get(2), e.get(1)));
  }

  /** One work-item per element of a slice; it walks the index tuples in order. */
  private static Dispatch nd(LoweringContext context, Target target) {
    List<Dim> shape = target.shape();
    List<Dim> indexShape = context.shape(target.indices());
    Dim last = indexShape.getLast();
    if (!last.isConstant() || last.constant() > shape.size()) {
      throw new NotLowerableException(
          "ScatterND needs index tuples of a known length of at most " + shape.size());
    }
    int depth = (int) last.constant();
    Dim tuples = Dims.product(indexShape.subList(0, indexShape.size() - 1));
    Dim slice = Dims.product(shape.subList(depth, shape.size()));
    KernelSource kernel =
        ScatterKernels.nd(
            context.dtype(target.output()),
            context.dtype(target.indices()),
            target.reduction(),
            depth);
    List<Argument> arguments = target.buffers(context);
    arguments.addAll(List.of(Scalars.of(tuples), Scalars.of(slice)));
    for (int k = 0; k < depth; k++) {
      arguments.add(Scalars.of(shape.get(k)));
      arguments.add(Scalars.of(target.strides().get(k)));
    }
    return context.dispatch(kernel, arguments, List.of(slice));
  }

  /**
   * What a scatter writes: the output (of the data's shape and strides), from indices and updates.
   */
  private record Target(
      List<Dim> shape,
      List<Dim> strides,
      String indices,
      String updates,
      String output,
      String reduction) {
    /**
     * The kernel's buffers, first among its arguments: indices and updates read, output written.
     */
    List<Argument> buffers(LoweringContext context) {
      return new ArrayList<>(
          List.of(context.read(indices), context.read(updates), context.write(output)));
    }
  }
}
