package oclc.codegen.opencl;

import java.util.ArrayList;
import java.util.List;
import oclc.artifact.Manifest;
import oclc.artifact.Manifest.Argument;
import oclc.artifact.Manifest.Variant;
import oclc.ir.DType;
import oclc.ir.Dim;
import oclc.ir.Node;
import oclc.ir.OpRegistry;
import oclc.ir.Tensor;
import oclc.ir.ops.NormalizesRows;
import oclc.lowering.Dims;
import oclc.lowering.SizeRanges;

/**
 * Softmax, LogSoftmax, Hardmax, LayerNormalization and RMSNormalization: the input seen as [outer,
 * rowLength, inner], one work-group per row. Which axes make a row is the op definition's answer
 * ({@link NormalizesRows}); the normalizations' rows always run to the last axis.
 */
public final class RowLowering {
  private RowLowering() {}

  /** The float vectors of the row-per-work-item Softmax and LayerNormalization: AVX-512 wide. */
  private static final int VECTOR_WIDTH = 16;

  /**
   * A row op's kernel for a size class: its group, whether rows are strided, statistics, and
   * whether its rows are float16 ({@code half}; else float32).
   */
  @FunctionalInterface
  private interface RowKernel {
    KernelSource of(int group, boolean strided, boolean statistics, boolean half, String suffix);
  }

  /**
   * A row op: its kernel, and whether it is a normalization (rows of trailing axes, an epsilon)
   * with {@code perElementInputs} inputs after x (scale, shift) and optionally its statistics.
   */
  private record RowOp(
      RowKernel kernel,
      boolean normalization,
      int perElementInputs,
      boolean statistics,
      boolean takesHalf) {}

  public static final OpenClFamily FAMILY =
      OpenClFamily.builder()
          .op(
              "Softmax",
              row(
                  new RowOp(
                      (group, strided, statistics, half, suffix) ->
                          softmax(group, false, strided, half, suffix),
                      false,
                      0,
                      false,
                      true)))
          .op(
              "LogSoftmax",
              row(
                  new RowOp(
                      (group, strided, statistics, half, suffix) ->
                          softmax(group, true, strided, half, suffix),
                      false,
                      0,
                      false,
                      true)))
          .op(
              "Hardmax",
              row(
                  new RowOp(
                      (group, strided, statistics, half, suffix) ->
                          RowKernels.hardmax("hardmax" + suffix, group, strided),
                      false,
                      0,
                      false,
                      false)))
          .op("LayerNormalization", row(new RowOp(RowLowering::layerNorm, true, 2, true, true)))
          .op(
              "RMSNormalization",
              row(
                  new RowOp(
                      (group, strided, statistics, half, suffix) ->
                          RowKernels.rmsNormalization("rms_norm" + suffix, group, half),
                      true,
                      1,
                      false,
                      true)))
          .build();

  private static KernelSource layerNorm(
      int group, boolean strided, boolean statistics, boolean half, String suffix) {
    return group == 1
        ? RowKernels.layerNormVector(
            "layer_norm"
                + (statistics ? "_statistics" : "")
                + "_v"
                + VECTOR_WIDTH
                + halfSuffix(half),
            VECTOR_WIDTH,
            statistics,
            half)
        : RowKernels.layerNormalization(
            "layer_norm" + (statistics ? "_statistics" : "") + suffix, group, statistics, half);
  }

  /** What the names of float16 kernels end with (the group forms have it in their suffix). */
  private static String halfSuffix(boolean half) {
    return half ? "_f16" : "";
  }

  private static NodeLowering row(RowOp op) {
    return (node, context) -> lower(node, context, op);
  }

  private static List<Variant> lower(Node node, LoweringContext context, RowOp op) {
    String input = node.inputs().get(0);
    String output = node.outputs().get(0);
    DType dtype = context.dtype(input);
    boolean half = dtype == DType.FLOAT16 && op.takesHalf();
    if (dtype != DType.FLOAT32 && !half) {
      throw new NotLowerableException(
          "the row kernels take float32"
              + (op.takesHalf() ? " or float16" : "")
              + ", not "
              + context.dtype(input));
    }
    RowGeometry rows = rows(node, context, op.normalization());
    List<Argument> parameters = new ArrayList<>();
    List<String> outputs = List.of(output);
    if (op.normalization()) {
      normalizationParameters(
          node, context, rows.length(), op.perElementInputs(), dtype, parameters);
    }
    if (op.statistics()) {
      outputs = statisticsOutputs(node, context);
    }
    List<Variant> variants = new ArrayList<>();
    for (SizeRanges.Interval lengthClass :
        context.ranges().classes(rows.length(), context.schedule().rowCuts())) {
      int group =
          RowKernels.groupSize(lengthClass.max(), context.schedule().rowGroup(lengthClass.max()));
      String suffix = "_g" + group + (rows.strided() ? "_strided" : "") + halfSuffix(half);
      boolean statistics = outputs.size() > 1;
      KernelSource kernel = op.kernel().of(group, rows.strided(), statistics, half, suffix);
      List<Argument> arguments = new ArrayList<>(List.of(context.read(input)));
      arguments.addAll(parameters);
      outputs.forEach(o -> arguments.add(context.write(o)));
      arguments.add(Scalars.of(rows.length()));
      if (op.normalization()) {
        arguments.add(new Argument.Float(node.attributes().getFloat("epsilon", 1e-5f)));
      }
      List<Manifest.Condition> when =
          rows.length().isConstant() ? List.of() : List.of(lengthClass.on(rows.length()));
      variants.add(
          new Variant(
              kernel.kernelName(),
              when,
              List.of(
                  context.dispatch(
                      kernel,
                      arguments,
                      RowKernels.globalSize(rows, group),
                      RowKernels.localSize(rows, group)))));
    }
    return variants;
  }

  /**
   * A row group of one on contiguous rows: the vector form, a row per work-item; else a work-group
   * per row.
   */
  private static KernelSource softmax(
      int group, boolean logarithm, boolean strided, boolean half, String suffix) {
    String name = logarithm ? "log_softmax" : "softmax";
    return group == 1 && !strided
        ? RowKernels.softmaxVector(
            name + "_v" + VECTOR_WIDTH + halfSuffix(half), VECTOR_WIDTH, logarithm, half)
        : RowKernels.softmax(name + suffix, group, logarithm, strided, half);
  }

  /** The rows the op definition names. */
  private static RowGeometry rows(Node node, LoweringContext context, boolean normalizes) {
    if (!(OpRegistry.standard().find(node).orElseThrow() instanceof NormalizesRows normalization)) {
      throw new NotLowerableException(node.opType() + " does not compute over rows");
    }
    NormalizesRows.RowAxes axes = normalization.rowAxes(context.inference(node));
    RowGeometry rows =
        RowGeometry.ofAxes(context.shape(node.inputs().get(0)), axes.first(), axes.last());
    if (rows.strided() && normalizes) {
      throw new NotLowerableException("the normalization kernels take rows of trailing axes");
    }
    return rows;
  }

  /**
   * The output followed, when the graph uses them, by LayerNormalization's mean and inverse
   * standard deviation (float32, one per row); both or neither, as the kernel writes them together.
   */
  private static List<String> statisticsOutputs(Node node, LoweringContext context) {
    List<String> outputs = node.outputs();
    boolean wanted = outputs.stream().skip(1).anyMatch(o -> !o.isEmpty());
    if (!wanted) {
      return List.of(outputs.get(0));
    }
    if (outputs.size() < 3 || outputs.get(1).isEmpty() || outputs.get(2).isEmpty()) {
      throw new NotLowerableException(
          "LayerNormalization writes its mean and inverse deviation together, not one alone");
    }
    for (String statistic : outputs.subList(1, 3)) {
      if (context.dtype(statistic) != DType.FLOAT32) {
        throw new NotLowerableException(
            "LayerNormalization's statistics are kept in float32, not " + context.dtype(statistic));
      }
    }
    return outputs.subList(0, 3);
  }

  /**
   * Adds the scale and (with {@code count} 2) the shift, zeros when absent; each must hold one
   * value of the input's type per row element.
   */
  private static void normalizationParameters(
      Node node,
      LoweringContext context,
      Dim rowLength,
      int count,
      DType dtype,
      List<Argument> arguments) {
    for (int i = 1; i <= count; i++) {
      boolean present = i < node.inputs().size() && !node.inputs().get(i).isEmpty();
      if (!present) {
        long length =
            rowLength
                .constantValue()
                .orElseThrow(
                    () ->
                        new NotLowerableException(
                            node.opType() + " without a bias needs a static row length"));
        String name = "zeros#" + length + (dtype == DType.FLOAT32 ? "" : "#" + dtype.displayName());
        arguments.add(context.param(name, Tensor.allocate(dtype, length)));
        continue;
      }
      String parameter = node.inputs().get(i);
      if (context.dtype(parameter) != dtype
          || !Dims.product(context.shape(parameter)).equals(rowLength)) {
        throw new NotLowerableException(
            node.opType()
                + "'s "
                + (i == 1 ? "scale" : "bias")
                + " "
                + context.type(parameter)
                + " must hold one "
                + dtype
                + " per element of a row of "
                + rowLength);
      }
      arguments.add(context.read(parameter));
    }
  }
}
