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
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import oclc.artifact.Manifest.Argument;
import oclc.artifact.Manifest.Dispatch;
import oclc.artifact.Manifest.Variant;
import oclc.codegen.cpu.kernels.JavaKernels;
import oclc.ir.DType;
import oclc.ir.Dim;
import oclc.ir.Node;
import oclc.ir.OpRegistry;
import oclc.ir.Tensor;
import oclc.ir.ops.ScalarAttribute;
import oclc.ir.ops.UnaryOp;

/**
 * The Java side of the elementwise family: the float32 unary and binary Vector API kernels (a unary
 * op's number attributes, as its definition declares them, are the kernel's scalars); Sum, Mean,
 * Max and Min of any number of inputs folded input by input; Where; Clip; Cast, CastLike, the
 * comparisons and the bool logic ops in plain Java over any element type the kernels store; Gelu in
 * plain Java ({@link JavaGelu}).
 */
public final class JavaElementwise {
  private JavaElementwise() {}

  public static final JavaFamily FAMILY = family();

  private static JavaFamily family() {
    JavaFamily.Builder family = JavaFamily.builder();
    JavaKernels.binaryOps().forEach(op -> family.op(op, "vector", JavaElementwise::binary));
    JavaKernels.unaryOps()
        .forEach(op -> family.op(op, "vector", (node, context) -> unary(node, context, op, 0)));
    JavaKernels.typedOps()
        .forEach(op -> family.op(op, "java", (node, context) -> typed(node, context, op, 0)));
    // CastLike is Cast to its second input's type, which it reads no element of.
    family.op("CastLike", "java", (node, context) -> typed(node, context, "Cast", 1));
    family.op("Sum", "vector", (node, context) -> nary(node, context, "Add", false));
    family.op("Mean", "vector", (node, context) -> nary(node, context, "Add", true));
    family.op("Max", "vector", (node, context) -> nary(node, context, "Max", false));
    family.op("Min", "vector", (node, context) -> nary(node, context, "Min", false));
    family.op("Where", "java", JavaElementwise::where);
    family.op("Clip", "vector", JavaElementwise::clip);
    family.op("Gelu", "java", JavaGelu::lower);
    return family.build();
  }

  /**
   * float32 {@code y = op(x)}; {@code exponent} for {@code PowInt}. The node's attributes must be
   * number attributes its op's definition declares ({@link UnaryOp#scalars}): their values, with
   * the definition's defaults, are the kernel's scalars.
   */
  static Optional<List<Variant>> unary(Node node, JavaLowering context, String op, int exponent) {
    List<ScalarAttribute> declared =
        OpRegistry.standard().find(node).orElse(null) instanceof UnaryOp definition
            ? definition.scalars()
            : List.of();
    Set<String> names = declared.stream().map(ScalarAttribute::name).collect(Collectors.toSet());
    boolean half = allFloat16(node, context);
    if (!(allFloat32(node, context) || half)
        || !names.containsAll(node.attributes().byName().keySet())) {
      return Optional.empty();
    }
    double[] values = ScalarAttribute.valuesIn(declared, node.attributes());
    float[] scalars = new float[values.length];
    StringBuilder name =
        new StringBuilder(exponent > 0 ? "pow_" + exponent : op.toLowerCase(Locale.ROOT));
    for (int i = 0; i < values.length; i++) {
      scalars[i] = (float) values[i];
      name.append('_').append(declared.get(i).name()).append(scalars[i]);
    }
    String kernel =
        kernel(context, "unary_" + name, new JavaKernelSpec.Unary(op, exponent, scalars), half);
    List<Argument> arguments =
        List.of(context.read(node.inputs().get(0)), new Argument.Buffer(node.outputs().get(0)));
    return Optional.of(
        List.of(
            single(kernel, dispatch(kernel, arguments, elements(context, node.outputs().get(0))))));
  }

  static Optional<List<Variant>> binary(Node node, JavaLowering context) {
    if (node.inputs().size() == 2
        && JavaKernels.integerArithmetic().contains(node.opType())
        && sameIntegerType(node, context)) {
      return typed(node, context, node.opType(), 0);
    }
    boolean half = allFloat16(node, context);
    if (!(allFloat32(node, context) || half) || node.inputs().size() != 2) {
      return Optional.empty();
    }
    String kernel =
        kernel(
            context,
            "binary_" + node.opType().toLowerCase(Locale.ROOT),
            new JavaKernelSpec.Binary(node.opType()),
            half);
    return oneDispatch(kernel, node, context, elements(context, node.outputs().get(0)));
  }

  /** Whether every input and the output are int64, or every one int32. */
  private static boolean sameIntegerType(Node node, JavaLowering context) {
    DType type = context.dtype(node.outputs().get(0));
    return (type == DType.INT64 || type == DType.INT32)
        && node.inputs().stream().allMatch(i -> context.dtype(i) == type);
  }

  private static String identity(JavaLowering context) {
    return context.kernel("unary_identity", new JavaKernelSpec.Unary("Identity", 0, new float[0]));
  }

  private static String binaryKernel(JavaLowering context, String op) {
    return context.kernel("binary_" + op.toLowerCase(Locale.ROOT), new JavaKernelSpec.Binary(op));
  }

  /**
   * Sum, Mean, Max and Min of any number of float32 inputs: the first two combined by {@code
   * binary} into the output, then each further input into it in place (elementwise, so reading and
   * writing the same element is safe); with {@code mean}, then scaled by 1/n. One input is a copy.
   */
  private static Optional<List<Variant>> nary(
      Node node, JavaLowering context, String binary, boolean mean) {
    List<String> inputs = node.inputs().stream().filter(i -> !i.isEmpty()).toList();
    if (!allFloat32(node, context) || inputs.isEmpty()) {
      return Optional.empty();
    }
    String output = node.outputs().get(0);
    Dim count = elements(context, output);
    if (inputs.size() == 1) {
      String kernel = identity(context);
      return Optional.of(
          List.of(
              single(
                  kernel,
                  dispatch(
                      kernel,
                      List.of(context.read(inputs.get(0)), new Argument.Buffer(output)),
                      count))));
    }
    String kernel = binaryKernel(context, binary);
    List<Dispatch> dispatches = new ArrayList<>();
    dispatches.add(
        dispatch(
            kernel,
            List.of(
                context.read(inputs.get(0)),
                context.read(inputs.get(1)),
                new Argument.Buffer(output)),
            count));
    for (String input : inputs.subList(2, inputs.size())) {
      dispatches.add(
          dispatch(
              kernel,
              List.of(
                  new Argument.Buffer(output), context.read(input), new Argument.Buffer(output)),
              count));
    }
    if (mean) {
      String multiply = binaryKernel(context, "Mul");
      Argument scale =
          context.param(
              node.name() + "#java-mean-scale",
              Tensor.ofFloats(new long[] {1}, 1f / inputs.size()));
      dispatches.add(
          dispatch(
              multiply,
              List.of(new Argument.Buffer(output), scale, new Argument.Buffer(output)),
              count));
    }
    return Optional.of(
        List.of(new Variant(kernel + "_x" + dispatches.size(), List.of(), dispatches)));
  }

  /**
   * Cast, the comparisons and the bool logic ops as {@code op}, element types permitting; {@code
   * unread} trailing inputs are not read (CastLike's second).
   */
  private static Optional<List<Variant>> typed(
      Node node, JavaLowering context, String op, int unread) {
    List<String> inputs = node.inputs().subList(0, node.inputs().size() - unread);
    String output = node.outputs().get(0);
    boolean types =
        inputs.stream().allMatch(i -> JavaKernels.typedTakes(context.dtype(i)))
            && JavaKernels.typedTakes(context.dtype(output));
    if (!types) {
      return Optional.empty();
    }
    String kernel =
        context.kernel("typed_" + op.toLowerCase(Locale.ROOT), new JavaKernelSpec.Typed(op));
    List<Argument> arguments = new ArrayList<>();
    inputs.forEach(i -> arguments.add(context.read(i)));
    arguments.add(new Argument.Buffer(output));
    return Optional.of(
        List.of(single(kernel, dispatch(kernel, arguments, elements(context, output)))));
  }

  /**
   * float32 Clip as Max with the low bound, then Min with the high one, in place (each bound a
   * one-element input, or before opset 11 an attribute made a param).
   */
  private static Optional<List<Variant>> clip(Node node, JavaLowering context) {
    if (!allFloat32(node, context)) {
      return Optional.empty();
    }
    String x = node.inputs().get(0);
    String output = node.outputs().get(0);
    Dim count = elements(context, output);
    List<Argument> bounds = new ArrayList<>();
    if (context.graph().opset(node.domain()) < 11) {
      bounds.add(
          context.param(
              node.name() + "#java-min",
              Tensor.ofFloats(
                  new long[] {1}, node.attributes().getFloat("min", -Float.MAX_VALUE))));
      bounds.add(
          context.param(
              node.name() + "#java-max",
              Tensor.ofFloats(new long[] {1}, node.attributes().getFloat("max", Float.MAX_VALUE))));
    } else {
      for (int i = 1; i <= 2; i++) {
        boolean given = node.inputs().size() > i && !node.inputs().get(i).isEmpty();
        bounds.add(given ? context.read(node.inputs().get(i)) : null);
      }
    }
    List<Dispatch> dispatches = new ArrayList<>();
    Argument from = context.read(x);
    String[] ops = {"Max", "Min"};
    for (int i = 0; i < 2; i++) {
      if (bounds.get(i) != null) {
        String kernel = binaryKernel(context, ops[i]);
        dispatches.add(
            dispatch(kernel, List.of(from, bounds.get(i), new Argument.Buffer(output)), count));
        from = new Argument.Buffer(output);
      }
    }
    if (dispatches.isEmpty()) {
      String kernel = identity(context);
      dispatches.add(dispatch(kernel, List.of(from, new Argument.Buffer(output)), count));
    }
    return Optional.of(List.of(new Variant("clip_x" + dispatches.size(), List.of(), dispatches)));
  }

  private static Optional<List<Variant>> where(Node node, JavaLowering context) {
    boolean half = allFloat16(node, context, 0);
    if (context.dtype(node.inputs().get(0)) != DType.BOOL
        || !half
            && (context.dtype(node.inputs().get(1)) != DType.FLOAT32
                || context.dtype(node.inputs().get(2)) != DType.FLOAT32)) {
      return Optional.empty();
    }
    String kernel = kernel(context, "where", new JavaKernelSpec.Where(), half);
    return oneDispatch(kernel, node, context, elements(context, node.outputs().get(0)));
  }
}
