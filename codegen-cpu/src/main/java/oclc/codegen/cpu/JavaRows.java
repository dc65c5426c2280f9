package oclc.codegen.cpu;

import static oclc.codegen.cpu.JavaVariants.allFloat16;
import static oclc.codegen.cpu.JavaVariants.allFloat32;
import static oclc.codegen.cpu.JavaVariants.dispatch;
import static oclc.codegen.cpu.JavaVariants.elements;
import static oclc.codegen.cpu.JavaVariants.kernel;
import static oclc.codegen.cpu.JavaVariants.oneDispatch;
import static oclc.codegen.cpu.JavaVariants.single;

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
 * The Java side of the row family: Softmax, LogSoftmax, LayerNormalization and RMSNormalization
 * over rows.
 */
public final class JavaRows {
  private JavaRows() {}

  public static final JavaFamily FAMILY =
      JavaFamily.builder()
          .op("Softmax", "vector", (node, context) -> softmax(node, context, false))
          .op("LogSoftmax", "vector", (node, context) -> softmax(node, context, true))
          .op("LayerNormalization", "vector", (node, context) -> layerNorm(node, context, false))
          .op("RMSNormalization", "vector", (node, context) -> layerNorm(node, context, true))
          .build();

  private static Optional<List<Variant>> softmax(Node node, JavaLowering context, boolean log) {
    String x = node.inputs().get(0);
    int rank = context.shape(x).size();
    long opset = context.graph().opset(node.domain());
    long axis = node.attributes().getInt("axis", opset < 13 ? 1 : -1);
    boolean half = allFloat16(node, context);
    if (!(allFloat32(node, context) || half)
        || rank == 0
        || Axes.normalize(axis, rank) != rank - 1) {
      return Optional.empty();
    }
    String kernel =
        kernel(context, log ? "log_softmax" : "softmax", new JavaKernelSpec.Softmax(log), half);
    List<Dim> shape = context.shape(x);
    return oneDispatch(kernel, node, context, Dims.product(shape.subList(0, rank - 1)));
  }

  /** LayerNormalization's row kernel, or with {@code rms} RMSNormalization's (no centring). */
  private static Optional<List<Variant>> layerNorm(Node node, JavaLowering context, boolean rms) {
    String x = node.inputs().get(0);
    List<Dim> shape = context.shape(x);
    int axis = Axes.normalize(node.attributes().getInt("axis", -1), shape.size());
    Dim row = Dims.product(shape.subList(axis, shape.size()));
    boolean extraOutputs = node.outputs().stream().skip(1).anyMatch(o -> !o.isEmpty());
    boolean perElement =
        node.inputs().stream()
            .skip(1)
            .filter(i -> !i.isEmpty())
            .allMatch(i -> elements(context, i).equals(row));
    boolean half = allFloat16(node, context);
    if (!(allFloat32(node, context) || half)
        || extraOutputs
        || !perElement
        || node.attributes().getInt("stash_type", 1) != 1) {
      return Optional.empty();
    }
    float epsilon = node.attributes().getFloat("epsilon", 1e-5f);
    String kernel =
        rms
            ? kernel(
                context,
                "rms_norm_axis" + axis + "_eps" + epsilon,
                new JavaKernelSpec.RmsNorm(axis, epsilon),
                half)
            : kernel(
                context,
                "layer_norm_axis" + axis + "_eps" + epsilon,
                new JavaKernelSpec.LayerNorm(axis, epsilon),
                half);
    List<Argument> arguments = new ArrayList<>();
    node.inputs().stream().filter(i -> !i.isEmpty()).forEach(i -> arguments.add(context.read(i)));
    arguments.add(new Argument.Buffer(node.outputs().get(0)));
    return Optional.of(
        List.of(single(kernel, dispatch(kernel, arguments, Dims.product(shape.subList(0, axis))))));
  }
}
