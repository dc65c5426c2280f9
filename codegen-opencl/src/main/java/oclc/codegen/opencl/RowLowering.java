package oclc.codegen.opencl;

import java.util.ArrayList;
import java.util.List;
import java.util.SortedSet;
import oclc.artifact.Manifest.Argument;
import oclc.artifact.Manifest.Variant;
import oclc.ir.DType;
import oclc.ir.Dim;
import oclc.ir.Node;
import oclc.ir.OpDefinition;
import oclc.ir.OpRegistry;
import oclc.ir.Tensor;
import oclc.ir.ops.NormalizesRows;
import oclc.ir.ops.ReducesAxes;

/**
 * Softmax, LogSoftmax, ReduceMean and LayerNormalization over trailing axes: the input seen as
 * [rows, rowLength], one work-group per row. Which axes make a row is the op definition's answer.
 */
final class RowLowering implements NodeLowering {
  @Override
  public List<Variant> lower(Node node, LoweringContext context) {
    String input = node.inputs().get(0);
    String output = node.outputs().get(0);
    if (context.dtype(input) != DType.FLOAT32) {
      throw new NotLowerableException("the row kernels take float32, not " + context.dtype(input));
    }
    List<Dim> shape = context.shape(input);
    int first = firstRowAxis(node, context, shape.size());
    Dim rows = Dims.product(shape.subList(0, first));
    Dim rowLength = Dims.product(shape.subList(first, shape.size()));
    List<Argument> parameters = new ArrayList<>();
    if (node.opType().equals("LayerNormalization")) {
      layerNormalizationParameters(node, context, shape.subList(first, shape.size()), parameters);
    }
    List<Variant> variants = new ArrayList<>();
    for (SizeRanges.Interval lengthClass : context.ranges().classes(rowLength, LENGTH_CLASSES)) {
      int group = RowKernels.groupSize(lengthClass.max());
      String suffix = "_g" + group;
      KernelSource kernel = switch (node.opType()) {
        case "Softmax" -> RowKernels.softmax("softmax" + suffix, group, false);
        case "LogSoftmax" -> RowKernels.softmax("log_softmax" + suffix, group, true);
        case "ReduceMean" -> RowKernels.mean("mean" + suffix, group);
        case "LayerNormalization" -> RowKernels.layerNormalization("layer_norm" + suffix, group);
        default -> throw new NotLowerableException("no row kernel for " + node.opType());
      };
      List<Argument> arguments = new ArrayList<>(List.of(context.read(input)));
      arguments.addAll(parameters);
      arguments.add(context.write(output));
      arguments.add(Scalars.of(rowLength));
      if (node.opType().equals("LayerNormalization")) {
        arguments.add(new Argument.Float(node.attributes().getFloat("epsilon", 1e-5f)));
      }
      variants.add(new Variant(kernel.kernelName(), rowLength.isConstant() ? List.of() : List.of(lengthClass.on(rowLength)),
          List.of(context.dispatch(kernel, arguments, RowKernels.globalSize(rows, group), List.of(Dim.of(group))))));
    }
    return variants;
  }

  /** Rows up to 64 long share a group of at most 16 work-items; longer rows take 64. */
  private static final List<SizeRanges.Interval> LENGTH_CLASSES = List.of(
      new SizeRanges.Interval(0, 64), new SizeRanges.Interval(65, SizeRanges.OPEN));

  /** The first axis of a row; the row must run to the last axis. */
  private static int firstRowAxis(Node node, LoweringContext context, int rank) {
    OpDefinition op = OpRegistry.standard().find(node).orElseThrow();
    var inference = context.inference(node);
    if (op instanceof ReducesAxes reduction) {
      SortedSet<Integer> axes = reduction.reducedAxes(inference);
      if (axes.isEmpty()) {
        throw new NotLowerableException("a reduction over no axes has no row kernel");
      }
      if (axes.last() != rank - 1 || axes.last() - axes.first() + 1 != axes.size()) {
        throw new NotLowerableException("the row kernels reduce trailing axes only, not " + axes);
      }
      return axes.first();
    }
    if (op instanceof NormalizesRows normalization) {
      NormalizesRows.RowAxes row = normalization.rowAxes(inference);
      if (row.last() != rank - 1 && row.first() <= row.last()) {
        throw new NotLowerableException("the row kernels work on trailing axes; axis " + row.first() + " of rank " + rank + " is not");
      }
      return Math.min(row.first(), rank);
    }
    throw new NotLowerableException(node.opType() + " does not compute over rows");
  }

  /** Adds scale and shift (zeros when absent), which must hold one value per row element. */
  private static void layerNormalizationParameters(Node node, LoweringContext context, List<Dim> rowShape,
      List<Argument> arguments) {
    for (int i = 1; i < node.outputs().size(); i++) {
      if (!node.outputs().get(i).isEmpty()) {
        throw new NotLowerableException("LayerNormalization's mean and inverse deviation outputs have no kernel");
      }
    }
    for (int i = 1; i <= 2; i++) {
      boolean present = i < node.inputs().size() && !node.inputs().get(i).isEmpty();
      if (!present) {
        long length = Dims.product(rowShape).constantValue().orElseThrow(
            () -> new NotLowerableException("LayerNormalization without a bias needs a static row length"));
        arguments.add(context.param("zeros#" + length, Tensor.allocate(DType.FLOAT32, length)));
        continue;
      }
      String parameter = node.inputs().get(i);
      if (context.dtype(parameter) != DType.FLOAT32 || !Dims.product(context.shape(parameter)).equals(Dims.product(rowShape))) {
        throw new NotLowerableException("LayerNormalization's " + (i == 1 ? "scale" : "bias") + " "
            + context.type(parameter) + " must hold one float32 per element of a row " + rowShape);
      }
      arguments.add(context.read(parameter));
    }
  }
}
