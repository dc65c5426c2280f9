package oclc.codegen.opencl;

import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;
import oclc.artifact.Manifest.Argument;
import oclc.artifact.Manifest.Variant;
import oclc.ir.DType;
import oclc.ir.Dim;
import oclc.ir.Node;
import oclc.ir.Tensor;
import oclc.lowering.BroadcastGeometry;
import oclc.lowering.Dims;

/**
 * Elementwise nodes, one work-item per output element: unary ops, broadcast binary ops, Sum / Max /
 * Min / Mean of any number of inputs, Where, Clip, Cast and CastLike, on float32, float64, float16,
 * bfloat16, integers and bool as each op's dictionaries in {@code elementwise.stg} allow.
 */
public final class ElementwiseLowering {
  private ElementwiseLowering() {}

  /**
   * The ops with a template kernel (unary and binary: the keys of {@code elementwise.stg}'s
   * dictionaries), Sum, Max, Min and Mean of any number of inputs, and Where, Clip, Cast and
   * CastLike, built from them.
   */
  public static final OpenClFamily FAMILY = family();

  private static OpenClFamily family() {
    OpenClFamily.Builder family = OpenClFamily.builder();
    ElementwiseKernels.unaryOps().forEach(op -> family.op(op, ElementwiseLowering::unary));
    ElementwiseKernels.binaryOps().forEach(op -> family.op(op, ElementwiseLowering::binary));
    for (String op : List.of("Sum", "Max", "Min")) {
      family.op(op, (node, context) -> variadic(node, context, false));
    }
    family.op("Mean", (node, context) -> variadic(node, context, true));
    family.op("Cast", ElementwiseLowering::cast);
    family.op("CastLike", ElementwiseLowering::cast);
    family.op("Clip", (node, context) -> clip(node, context, context.dtype(node.inputs().get(0))));
    family.op("Where", ElementwiseLowering::where);
    return family.build();
  }

  private static DType inputType(LoweringContext context, Node node, int input) {
    String value = node.inputs().get(input);
    return value.isEmpty() ? null : context.dtype(value);
  }

  /** Cast, and CastLike, which reads no element of its second input. */
  private static List<Variant> cast(Node node, LoweringContext context) {
    return elementByElement(
        node,
        context,
        ElementwiseKernels.cast(inputType(context, node, 0), context.dtype(node.outputs().get(0))),
        List.of(node.inputs().get(0)),
        List.of());
  }

  private static List<Variant> where(Node node, LoweringContext context) {
    DType outputType = context.dtype(node.outputs().get(0));
    return broadcast(
        node, context, axes -> ElementwiseKernels.select(outputType, axes), node.inputs());
  }

  /**
   * Any number of inputs folded left to right; two (Mean aside, which divides) take the binary
   * kernel.
   */
  private static List<Variant> variadic(Node node, LoweringContext context, boolean mean) {
    int count = node.inputs().size();
    if (count != 2 || mean) {
      DType first = inputType(context, node, 0);
      return broadcast(
          node, context, axes -> ElementwiseKernels.nary(node, first, count, axes), node.inputs());
    }
    return binary(node, context);
  }

  private static List<Variant> unary(Node node, LoweringContext context) {
    List<Argument> parameters =
        ElementwiseKernels.parameters(node).stream().map(ElementwiseLowering::argument).toList();
    return elementByElement(
        node,
        context,
        ElementwiseKernels.unary(
            node, inputType(context, node, 0), context.dtype(node.outputs().get(0))),
        node.inputs(),
        parameters);
  }

  /** Two broadcast inputs (also Pow's, where its exponent is no small constant). */
  static List<Variant> binary(Node node, LoweringContext context) {
    DType left = inputType(context, node, 0);
    DType right = inputType(context, node, 1);
    DType outputType = context.dtype(node.outputs().get(0));
    return broadcast(
        node,
        context,
        axes -> ElementwiseKernels.binary(node, left, right, outputType, axes),
        node.inputs());
  }

  private static Argument argument(ElementwiseKernels.Parameter p) {
    return p.value() instanceof Float f
        ? new Argument.Float(f)
        : Scalars.of(Dim.of(p.value().longValue()));
  }

  /** Buffers, output, count, parameters; as many work-items as elements. */
  private static List<Variant> elementByElement(
      Node node,
      LoweringContext context,
      KernelSource kernel,
      List<String> inputs,
      List<Argument> parameters) {
    String output = node.outputs().get(0);
    List<Argument> arguments = new ArrayList<>();
    inputs.forEach(in -> arguments.add(context.read(in)));
    arguments.add(context.write(output));
    Dim count = Dims.product(context.shape(output));
    arguments.add(Scalars.of(count));
    arguments.addAll(parameters);
    return NodeLowering.single(context.dispatch(kernel, arguments, List.of(count)));
  }

  /**
   * Buffers, output, then the {@link BroadcastGeometry} of the inputs against the output; the
   * kernel is made for the geometry's number of axes.
   */
  private static List<Variant> broadcast(
      Node node,
      LoweringContext context,
      IntFunction<KernelSource> kernelForAxes,
      List<String> inputs) {
    String output = node.outputs().get(0);
    List<Argument> arguments = new ArrayList<>();
    inputs.forEach(in -> arguments.add(context.read(in)));
    arguments.add(context.write(output));
    BroadcastGeometry geometry =
        BroadcastGeometry.of(context.shape(output), inputs.stream().map(context::shape).toList());
    KernelSource kernel = kernelForAxes.apply(geometry.axisCount());
    arguments.addAll(Scalars.ints(geometry.scalarArguments()));
    return NodeLowering.single(context.dispatch(kernel, arguments, geometry.globalSize()));
  }

  /**
   * Clip's bounds: inputs from opset 11 (an absent one is the type's lowest or highest value),
   * attributes before; both reach the kernel as one-element buffers.
   */
  private static List<Variant> clip(Node node, LoweringContext context, DType type) {
    String output = node.outputs().get(0);
    boolean fromInputs = context.inference(node).opset() >= 11;
    List<String> buffers = new ArrayList<>(List.of(node.inputs().get(0)));
    for (int i = 1; i <= 2; i++) {
      String bound = i < node.inputs().size() ? node.inputs().get(i) : "";
      if (fromInputs && !bound.isEmpty()) {
        if (!context.shape(bound).isEmpty() && !Dims.isOne(Dims.product(context.shape(bound)))) {
          throw new NotLowerableException("Clip's bound '" + bound + "' is not a scalar");
        }
        buffers.add(bound);
      } else {
        String name = output + (i == 1 ? ".clip_low" : ".clip_high");
        context.param(name, bound(node, type, i == 1, fromInputs));
        buffers.add(name);
      }
    }
    List<Argument> arguments = new ArrayList<>();
    arguments.add(context.read(buffers.get(0)));
    arguments.add(boundArgument(context, buffers.get(1)));
    arguments.add(boundArgument(context, buffers.get(2)));
    arguments.add(context.write(output));
    Dim count = Dims.product(context.shape(output));
    arguments.add(Scalars.of(count));
    KernelSource kernel = ElementwiseKernels.clip(type);
    return NodeLowering.single(context.dispatch(kernel, arguments, List.of(count)));
  }

  /** A bound that is an input is read as one; a param made here is already registered. */
  private static Argument boundArgument(LoweringContext context, String buffer) {
    return context.params().containsKey(buffer)
        ? new Argument.Buffer(buffer)
        : context.read(buffer);
  }

  /**
   * The bound Clip uses when none is given: the attribute (before opset 11), else the type's range.
   */
  private static Tensor bound(Node node, DType type, boolean low, boolean fromInputs) {
    Tensor t = Tensor.allocate(type);
    if (type.isFloat()) {
      double value =
          fromInputs
              ? (low ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY)
              : node.attributes()
                  .getFloat(low ? "min" : "max", low ? -Float.MAX_VALUE : Float.MAX_VALUE);
      t.setDouble(0, value);
    } else {
      int bits = 8 * type.byteSize();
      long value =
          type.isUnsigned()
              ? (low ? 0 : -1L >>> (64 - bits))
              : (low ? Long.MIN_VALUE >> (64 - bits) : Long.MAX_VALUE >> (64 - bits));
      t.setLong(0, value);
    }
    return t;
  }
}
