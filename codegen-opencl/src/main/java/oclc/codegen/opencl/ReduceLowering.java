package oclc.codegen.opencl;

import java.util.List;
import java.util.SortedSet;
import oclc.artifact.Manifest.Argument;
import oclc.artifact.Manifest.Variant;
import oclc.ir.DType;
import oclc.ir.Dim;
import oclc.ir.Node;
import oclc.ir.OpRegistry;
import oclc.ir.ops.ReducesAxes;

/**
 * The Reduce* ops and ArgMax/ArgMin: the input seen as [outer, reduced, inner], one work-group per
 * output element. Which axes are reduced is the op definition's answer ({@link ReducesAxes});
 * keepdims only changes the output's shape, not its elements' order.
 */
public final class ReduceLowering {
  private ReduceLowering() {}

  /** What a row reduces to: a fold of its values, or the index of its greatest or least. */
  private enum Result {
    FOLD,
    GREATEST,
    LEAST
  }

  public static final OpenClFamily FAMILY =
      OpenClFamily.builder()
          .everyOp((node, context) -> lower(node, context, Result.FOLD))
          .op("ArgMax", (node, context) -> lower(node, context, Result.GREATEST))
          .op("ArgMin", (node, context) -> lower(node, context, Result.LEAST))
          .build();

  private static List<Variant> lower(Node node, LoweringContext context, Result result) {
    String input = node.inputs().get(0);
    DType dtype = context.dtype(input);
    List<Dim> shape = context.shape(input);
    boolean argument = result != Result.FOLD;
    SortedSet<Integer> axes = reducedAxes(node, context);
    RowGeometry rows =
        RowGeometry.ofReduced(shape, axes)
            .orElseThrow(
                () ->
                    new NotLowerableException(
                        "the reduction kernels reduce adjacent axes, not "
                            + axes
                            + " of "
                            + shape));
    long longest = context.ranges().range(rows.length()).max();
    int group = RowKernels.groupSize(longest, context.schedule().rowGroup(longest));
    String suffix =
        "_" + RowKernels.typeSuffix(dtype) + "_g" + group + (rows.strided() ? "_strided" : "");
    KernelSource kernel;
    if (argument) {
      if (rows.length().constantValue().orElse(1L) == 0) {
        throw new NotLowerableException(node.opType() + " of an empty axis has no index");
      }
      boolean greatest = result == Result.GREATEST;
      boolean last = node.attributes().getInt("select_last_index", 0) != 0;
      kernel =
          RowKernels.argExtremum(
              (greatest ? "argmax" : "argmin") + (last ? "_last" : "") + suffix,
              group,
              rows.strided(),
              dtype,
              greatest,
              last);
    } else {
      Fold fold =
          Fold.of(node.opType(), dtype)
              .orElseThrow(
                  () -> new NotLowerableException("no " + node.opType() + " kernel for " + dtype));
      kernel =
          RowKernels.reduce(kernelName(node.opType()) + suffix, group, rows.strided(), fold, dtype);
    }
    List<Argument> arguments =
        List.of(
            context.read(input), context.write(node.outputs().get(0)), Scalars.of(rows.length()));
    return NodeLowering.single(
        context.dispatch(
            kernel,
            arguments,
            RowKernels.globalSize(rows, group),
            RowKernels.localSize(rows, group)));
  }

  private static SortedSet<Integer> reducedAxes(Node node, LoweringContext context) {
    if (!(OpRegistry.standard().find(node).orElseThrow() instanceof ReducesAxes reduction)) {
      throw new NotLowerableException(node.opType() + " does not reduce axes");
    }
    return reduction.reducedAxes(context.inference(node));
  }

  /** reduce_sum, reduce_log_sum_exp, ...: the op type in lower case with underscores. */
  private static String kernelName(String opType) {
    return opType.replaceAll("([a-z0-9])([A-Z])", "$1_$2").toLowerCase(java.util.Locale.ROOT);
  }
}
