package oclc.codegen.cpu;

import static oclc.codegen.cpu.JavaVariants.allFloat16;
import static oclc.codegen.cpu.JavaVariants.allFloat32;
import static oclc.codegen.cpu.JavaVariants.dispatch;
import static oclc.codegen.cpu.JavaVariants.single;

import java.util.List;
import java.util.Optional;
import java.util.SortedSet;
import oclc.artifact.Manifest.Argument;
import oclc.artifact.Manifest.Variant;
import oclc.codegen.cpu.kernels.JavaKernels;
import oclc.ir.Dim;
import oclc.ir.InferenceContext;
import oclc.ir.Node;
import oclc.ir.OpRegistry;
import oclc.ir.ops.ReducesAxes;
import oclc.lowering.Dims;

/**
 * The Java side of the reduction family: float32 reductions over trailing axes, and float16 ones by
 * the same kernels, summing in float32.
 */
public final class JavaReductions {
  private JavaReductions() {}

  public static final JavaFamily FAMILY = family();

  private static JavaFamily family() {
    JavaFamily.Builder family = JavaFamily.builder();
    JavaKernels.reductions().forEach(op -> family.op(op, "vector", JavaReductions::reduce));
    return family.build();
  }

  /** A reduction over trailing axes (axes known at compile time, rows never empty). */
  private static Optional<List<Variant>> reduce(Node node, JavaLowering context) {
    boolean half = allFloat16(node, context);
    if (!(allFloat32(node, context) || half)
        || !(OpRegistry.standard().find(node).orElseThrow() instanceof ReducesAxes reduction)) {
      return Optional.empty();
    }
    String x = node.inputs().get(0);
    List<Dim> shape = context.shape(x);
    SortedSet<Integer> axes;
    try {
      axes = reduction.reducedAxes(InferenceContext.of(context.graph(), node));
    } catch (RuntimeException e) {
      return Optional.empty(); // axes known only at run time
    }
    int from = shape.size() - axes.size();
    boolean trailing = !axes.isEmpty() && axes.first() == from && axes.last() == shape.size() - 1;
    if (!trailing
        || context.ranges().range(Dims.product(shape.subList(from, shape.size()))).min() < 1) {
      return Optional.empty();
    }
    String name =
        node.opType().replaceAll("([a-z0-9])([A-Z])", "$1_$2").toLowerCase(java.util.Locale.ROOT);
    String kernel =
        JavaVariants.kernel(
            context, name + "_axis" + from, new JavaKernelSpec.Reduce(node.opType(), from), half);
    List<Argument> arguments = List.of(context.read(x), new Argument.Buffer(node.outputs().get(0)));
    return Optional.of(
        List.of(single(kernel, dispatch(kernel, arguments, Dims.product(shape.subList(0, from))))));
  }
}
