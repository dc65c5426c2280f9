package oclc.codegen.cpu;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeMap;
import oclc.artifact.Manifest.Argument;
import oclc.artifact.Manifest.Dispatch;
import oclc.artifact.Manifest.Variant;
import oclc.codegen.cpu.kernels.JavaKernels;
import oclc.codegen.cpu.linalg.PackedMatrix;
import oclc.ir.DType;
import oclc.ir.Dim;
import oclc.ir.InferenceContext;
import oclc.ir.Node;
import oclc.ir.OpRegistry;
import oclc.ir.Tensor;
import oclc.ir.ops.Axes;
import oclc.ir.ops.ReducesAxes;
import oclc.ir.ops.Slicing;
import oclc.lowering.CopyGeometry;
import oclc.lowering.Dims;
import oclc.lowering.KernelFamilies;
import oclc.lowering.KernelFamily;
import oclc.lowering.KvCacheAppend;
import oclc.lowering.Schedule;
import oclc.lowering.SizeRanges;

/**
 * The Java lowering of each kernel family ({@link KernelFamilies} says which family takes an op):
 * which Java kernel computes a node; empty where the node is outside what the family's kernel takes
 * (an op, an element type, an attribute), which leaves it to the labelled reference fallback. What
 * has a Java kernel: {@link #kind}.
 */
final class JavaFamilies {
  private JavaFamilies() {}

  /** The n-ary ops and the binary op that folds them, input by input, into the output. */
  private static final Map<String, String> NARY =
      Map.of("Sum", "Add", "Mean", "Add", "Max", "Max", "Min", "Min");

  /**
   * The families the java backend has no kernel for: each of their nodes takes the labelled
   * reference fallback.
   */
  static final Set<KernelFamily> REFERENCE_FALLBACK =
      EnumSet.of(
          KernelFamily.EINSUM,
          KernelFamily.ROTARY,
          KernelFamily.MASK,
          KernelFamily.PAD,
          KernelFamily.SCATTER);

  /** The elementwise ops with a kernel of their own rather than the unary, binary or typed one. */
  private enum Elementwise {
    WHERE,
    CLIP
  }

  /** The row ops with a Java kernel. */
  private enum Row {
    SOFTMAX,
    LOG_SOFTMAX,
    LAYER_NORMALIZATION,
    RMSNORMALIZATION // RMSNormalization, as member() spells it
  }

  /** The movement ops, each a strided copy of its own geometry. */
  private enum Movement {
    TRANSPOSE,
    SLICE,
    SPLIT,
    CONCAT,
    EXPAND,
    TILE,
    DEPTH_TO_SPACE,
    SPACE_TO_DEPTH
  }

  /** The gather ops with a Java kernel. */
  private enum Gather {
    GATHER
  }

  /** A per-family enum's constant for an op type: LogSoftmax is LOG_SOFTMAX; empty if none. */
  private static <E extends Enum<E>> Optional<E> member(Class<E> members, String opType) {
    String name = opType.replaceAll("([a-z0-9])([A-Z])", "$1_$2").toUpperCase(Locale.ROOT);
    return Arrays.stream(members.getEnumConstants()).filter(e -> e.name().equals(name)).findFirst();
  }

  /**
   * How the java backend computes an op of a family: "vector" (Vector API kernel), "java" (plain
   * Java loops), "copy" (block copies), "view"; empty where it takes the reference fallback.
   */
  static Optional<String> kind(KernelFamily family, String op) {
    return switch (family) {
      case ELEMENTWISE ->
          JavaKernels.typedOps().contains(op)
                  || member(Elementwise.class, op).equals(Optional.of(Elementwise.WHERE))
              ? Optional.of("java")
              : JavaKernels.unaryOps().contains(op)
                      || JavaKernels.binaryOps().contains(op)
                      || NARY.containsKey(op)
                      || member(Elementwise.class, op).isPresent()
                  ? Optional.of("vector")
                  : Optional.empty();
      case POW -> JavaKernels.binaryOps().contains(op) ? Optional.of("vector") : Optional.empty();
      case MATMUL -> Optional.of("vector");
      case ROWS -> member(Row.class, op).map(row -> "vector");
      case REDUCE ->
          JavaKernels.reductions().contains(op) ? Optional.of("vector") : Optional.empty();
      case GATHER -> member(Gather.class, op).map(gather -> "java");
      case RANGE -> Optional.of("java");
      case MOVEMENT -> Optional.of("copy");
      case VIEW -> Optional.of("view");
      case EINSUM, ROTARY, MASK, PAD, SCATTER -> Optional.empty();
    };
  }

  /**
   * Op type → how the java backend computes it ({@link #kind}); ops not listed take the fallback.
   */
  static Map<String, String> families() {
    Map<String, String> families = new TreeMap<>();
    KernelFamilies.all()
        .forEach((op, family) -> kind(family, op).ifPresent(k -> families.put(op, k)));
    return families;
  }

  static Optional<List<Variant>> lower(Node node, JavaLowering context) {
    Optional<KernelFamily> found = KernelFamilies.of(node);
    if (found.isEmpty()) {
      return Optional.empty();
    }
    KernelFamily family = found.get();
    // Views and copies take their shapes, axes and windows from the types and the folded dims, and
    // Range its bounds as dims; the other kernels need every input's size at compile time.
    boolean symbolic = node.inputs().stream().anyMatch(i -> !i.isEmpty() && context.symbolic(i));
    if (symbolic
        && family != KernelFamily.VIEW
        && family != KernelFamily.MOVEMENT
        && family != KernelFamily.RANGE) {
      return Optional.empty();
    }
    return switch (family) {
      case VIEW -> view(node, context);
      case MOVEMENT -> copy(node, context);
      case MATMUL -> matMul(node, context);
      case ROWS ->
          member(Row.class, node.opType())
              .flatMap(
                  row ->
                      switch (row) {
                        case SOFTMAX, LOG_SOFTMAX -> softmax(node, context, row == Row.LOG_SOFTMAX);
                        case LAYER_NORMALIZATION -> layerNorm(node, context, false);
                        case RMSNORMALIZATION -> layerNorm(node, context, true);
                      });
      case ELEMENTWISE -> elementwise(node, context);
      case REDUCE ->
          JavaKernels.reductions().contains(node.opType())
              ? reduce(node, context)
              : Optional.empty();
      case GATHER -> member(Gather.class, node.opType()).flatMap(gather -> gather(node, context));
      case RANGE -> range(node, context);
      case POW -> pow(node, context);
      case EINSUM, ROTARY, MASK, PAD, SCATTER -> Optional.empty(); // REFERENCE_FALLBACK
    };
  }

  private static Optional<List<Variant>> elementwise(Node node, JavaLowering context) {
    String op = node.opType();
    Optional<Elementwise> own = member(Elementwise.class, op);
    if (own.isPresent()) {
      return switch (own.get()) {
        case WHERE -> where(node, context);
        case CLIP -> clip(node, context);
      };
    }
    return NARY.containsKey(op)
        ? nary(node, context)
        : JavaKernels.typedOps().contains(op)
            ? typed(node, context)
            : JavaKernels.unaryOps().contains(op)
                ? unary(node, context, op, 0)
                : JavaKernels.binaryOps().contains(op) ? binary(node, context) : Optional.empty();
  }

  private static boolean allFloat32(Node node, JavaLowering context) {
    return node.inputs().stream()
            .filter(i -> !i.isEmpty())
            .allMatch(i -> context.dtype(i) == DType.FLOAT32)
        && node.outputs().stream()
            .filter(o -> !o.isEmpty())
            .allMatch(o -> context.dtype(o) == DType.FLOAT32);
  }

  private static Variant single(String variant, Dispatch dispatch) {
    return new Variant(variant, List.of(), List.of(dispatch));
  }

  private static Dispatch dispatch(String kernel, List<Argument> arguments, Dim work) {
    return new Dispatch(kernel, arguments, List.of(work), List.of());
  }

  /** The one variant of one dispatch of {@code kernel}: the node's inputs, then its output. */
  private static Optional<List<Variant>> oneDispatch(
      String kernel, Node node, JavaLowering context, Dim work) {
    return Optional.of(
        List.of(single(kernel, dispatch(kernel, readsThenWrites(node, context), work))));
  }

  private static List<Argument> readsThenWrites(Node node, JavaLowering context) {
    List<Argument> arguments = new ArrayList<>();
    node.inputs().forEach(i -> arguments.add(context.read(i)));
    arguments.add(new Argument.Buffer(node.outputs().get(0)));
    return arguments;
  }

  private static Dim elements(JavaLowering context, String value) {
    return Dims.product(context.shape(value));
  }

  private static Optional<List<Variant>> unary(
      Node node, JavaLowering context, String op, int exponent) {
    if (!allFloat32(node, context) || !node.attributes().byName().isEmpty()) {
      return Optional.empty();
    }
    String name = op.equals("PowInt") ? "pow_" + exponent : op.toLowerCase();
    String kernel = context.kernel("unary_" + name, new JavaKernelSpec.Unary(op, exponent));
    List<Argument> arguments =
        List.of(context.read(node.inputs().get(0)), new Argument.Buffer(node.outputs().get(0)));
    return Optional.of(
        List.of(
            single(kernel, dispatch(kernel, arguments, elements(context, node.outputs().get(0))))));
  }

  private static Optional<List<Variant>> binary(Node node, JavaLowering context) {
    if (!allFloat32(node, context) || node.inputs().size() != 2) {
      return Optional.empty();
    }
    String kernel =
        context.kernel(
            "binary_" + node.opType().toLowerCase(), new JavaKernelSpec.Binary(node.opType()));
    return oneDispatch(kernel, node, context, elements(context, node.outputs().get(0)));
  }

  /**
   * Sum, Mean, Max and Min of any number of float32 inputs: the first two combined into the output,
   * then each further input into it in place (elementwise, so reading and writing the same element
   * is safe); Mean then scales by 1/n. One input is a copy.
   */
  private static Optional<List<Variant>> nary(Node node, JavaLowering context) {
    List<String> inputs = node.inputs().stream().filter(i -> !i.isEmpty()).toList();
    if (!allFloat32(node, context) || inputs.isEmpty()) {
      return Optional.empty();
    }
    String output = node.outputs().get(0);
    Dim count = elements(context, output);
    if (inputs.size() == 1) {
      String kernel = context.kernel("unary_identity", new JavaKernelSpec.Unary("Identity", 0));
      return Optional.of(
          List.of(
              single(
                  kernel,
                  dispatch(
                      kernel,
                      List.of(context.read(inputs.get(0)), new Argument.Buffer(output)),
                      count))));
    }
    String binary = NARY.get(node.opType());
    String kernel =
        context.kernel("binary_" + binary.toLowerCase(), new JavaKernelSpec.Binary(binary));
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
    if (node.opType().equals("Mean")) {
      String multiply = context.kernel("binary_mul", new JavaKernelSpec.Binary("Mul"));
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
   * Cast, the comparisons and the bool logic ops, element types permitting (CastLike reads only its
   * first input).
   */
  private static Optional<List<Variant>> typed(Node node, JavaLowering context) {
    List<String> inputs =
        node.opType().equals("CastLike") ? node.inputs().subList(0, 1) : node.inputs();
    String output = node.outputs().get(0);
    boolean types =
        inputs.stream().allMatch(i -> JavaKernels.typedTakes(context.dtype(i)))
            && JavaKernels.typedTakes(context.dtype(output));
    if (!types) {
      return Optional.empty();
    }
    String op = node.opType().equals("CastLike") ? "Cast" : node.opType();
    String kernel = context.kernel("typed_" + op.toLowerCase(), new JavaKernelSpec.Typed(op));
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
        String kernel =
            context.kernel("binary_" + ops[i].toLowerCase(), new JavaKernelSpec.Binary(ops[i]));
        dispatches.add(
            dispatch(kernel, List.of(from, bounds.get(i), new Argument.Buffer(output)), count));
        from = new Argument.Buffer(output);
      }
    }
    if (dispatches.isEmpty()) {
      String kernel = context.kernel("unary_identity", new JavaKernelSpec.Unary("Identity", 0));
      dispatches.add(dispatch(kernel, List.of(from, new Argument.Buffer(output)), count));
    }
    return Optional.of(List.of(new Variant("clip_x" + dispatches.size(), List.of(), dispatches)));
  }

  /**
   * x to a constant whole power 1..4 as multiplications (GPT-2's GELU cubes); else the vector pow.
   */
  private static Optional<List<Variant>> pow(Node node, JavaLowering context) {
    Optional<Tensor> exponent = context.constant(node.inputs().get(1));
    if (exponent.isPresent() && exponent.get().size() == 1 && allFloat32(node, context)) {
      double e = exponent.get().getDouble(0);
      if (e == Math.rint(e) && e >= 1 && e <= 4) {
        return unary(node.withInputs(List.of(node.inputs().get(0))), context, "PowInt", (int) e);
      }
    }
    return binary(node, context);
  }

  private static Optional<List<Variant>> where(Node node, JavaLowering context) {
    if (context.dtype(node.inputs().get(0)) != DType.BOOL
        || context.dtype(node.inputs().get(1)) != DType.FLOAT32
        || context.dtype(node.inputs().get(2)) != DType.FLOAT32) {
      return Optional.empty();
    }
    String kernel = context.kernel("where", new JavaKernelSpec.Where());
    return oneDispatch(kernel, node, context, elements(context, node.outputs().get(0)));
  }

  private static Optional<List<Variant>> softmax(Node node, JavaLowering context, boolean log) {
    String x = node.inputs().get(0);
    int rank = context.shape(x).size();
    long opset = context.graph().opset(node.domain());
    long axis = node.attributes().getInt("axis", opset < 13 ? 1 : -1);
    if (!allFloat32(node, context) || rank == 0 || Axes.normalize(axis, rank) != rank - 1) {
      return Optional.empty();
    }
    String kernel =
        context.kernel(log ? "log_softmax" : "softmax", new JavaKernelSpec.Softmax(log));
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
    if (!allFloat32(node, context)
        || extraOutputs
        || !perElement
        || node.attributes().getInt("stash_type", 1) != 1) {
      return Optional.empty();
    }
    float epsilon = node.attributes().getFloat("epsilon", 1e-5f);
    String kernel =
        rms
            ? context.kernel(
                "rms_norm_axis" + axis + "_eps" + epsilon,
                new JavaKernelSpec.RmsNorm(axis, epsilon))
            : context.kernel(
                "layer_norm_axis" + axis + "_eps" + epsilon,
                new JavaKernelSpec.LayerNorm(axis, epsilon));
    List<Argument> arguments = new ArrayList<>();
    node.inputs().stream().filter(i -> !i.isEmpty()).forEach(i -> arguments.add(context.read(i)));
    arguments.add(new Argument.Buffer(node.outputs().get(0)));
    return Optional.of(
        List.of(single(kernel, dispatch(kernel, arguments, Dims.product(shape.subList(0, axis))))));
  }

  /** A reduction over trailing axes (axes known at compile time, rows never empty). */
  private static Optional<List<Variant>> reduce(Node node, JavaLowering context) {
    if (!allFloat32(node, context)
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
        context.kernel(name + "_axis" + from, new JavaKernelSpec.Reduce(node.opType(), from));
    List<Argument> arguments = List.of(context.read(x), new Argument.Buffer(node.outputs().get(0)));
    return Optional.of(
        List.of(single(kernel, dispatch(kernel, arguments, Dims.product(shape.subList(0, from))))));
  }

  private static Optional<List<Variant>> gather(Node node, JavaLowering context) {
    String data = node.inputs().get(0);
    DType indices = context.dtype(node.inputs().get(1));
    if (context.dtype(data) == DType.STRING || (indices != DType.INT64 && indices != DType.INT32)) {
      return Optional.empty();
    }
    int rank = context.shape(data).size();
    int axis = Axes.normalize(node.attributes().getInt("axis", 0), rank);
    String kernel = context.kernel("gather_axis" + axis, new JavaKernelSpec.Gather(axis));
    return oneDispatch(kernel, node, context, elements(context, node.inputs().get(1)));
  }

  /**
   * Range of int64/int32 with start and delta known as dims (GPT-2's position ids from the past
   * length).
   */
  private static Optional<List<Variant>> range(Node node, JavaLowering context) {
    String output = node.outputs().get(0);
    DType type = context.dtype(output);
    Optional<List<Dim>> start = context.dims(node.inputs().get(0));
    Optional<List<Dim>> delta = context.dims(node.inputs().get(2));
    if ((type != DType.INT64 && type != DType.INT32)
        || start.isEmpty()
        || delta.isEmpty()
        || context.dims(node.inputs().get(1)).isEmpty()) {
      return Optional.empty();
    }
    String kernel = context.kernel("range", new JavaKernelSpec.Range());
    List<Argument> arguments =
        List.of(
            new Argument.Buffer(output),
            new Argument.Long(start.get().get(0)),
            new Argument.Long(delta.get().get(0)));
    return Optional.of(
        List.of(single(kernel, dispatch(kernel, arguments, context.shape(output).get(0)))));
  }

  /**
   * Whether a Transpose needs no copy: it swaps the last two axes of a float32 activation
   * (attention's Kᵀ, a whole KV cache in decode) and every reader is the right operand of a batched
   * MatMul, which reads its operands through their strides; not a graph output, whose buffer must
   * hold it as it is.
   */
  private static boolean readInPlace(Node node, JavaLowering context, long[] perm) {
    String input = node.inputs().get(0);
    String output = node.outputs().get(0);
    int rank = perm.length;
    boolean swapsLastTwo = rank >= 2 && perm[rank - 1] == rank - 2 && perm[rank - 2] == rank - 1;
    for (int axis = 0; axis < rank - 2; axis++) {
      swapsLastTwo &= perm[axis] == axis;
    }
    if (!swapsLastTwo
        || context.dtype(input) != DType.FLOAT32
        || context.constant(input).isPresent()
        || context.graph().outputs().stream().anyMatch(o -> o.name().equals(output))) {
      return false;
    }
    List<Node> readers =
        context.graph().nodes().stream().filter(n -> n.inputs().contains(output)).toList();
    return !readers.isEmpty()
        && readers.stream()
            .allMatch(
                r ->
                    r.opType().equals("MatMul")
                        && r.domain().isEmpty()
                        && r.inputs().indexOf(output) == 1
                        && !r.inputs().get(0).equals(output)
                        && context.constant(r.inputs().get(0)).isEmpty());
  }

  private static Optional<List<Variant>> view(Node node, JavaLowering context) {
    String input = node.inputs().get(0);
    boolean dropoutExtras =
        node.opType().equals("Dropout")
            && (node.inputs().size() > 2 && !node.inputs().get(2).isEmpty()
                || node.outputs().size() > 1 && !node.outputs().get(1).isEmpty());
    if (dropoutExtras || context.constant(input).isEmpty() && context.type(input).isEmpty()) {
      return Optional.empty();
    }
    context.read(input);
    context.view(node.outputs().get(0), input);
    return Optional.of(List.of(new Variant("view", List.of(), List.of())));
  }

  /** Transpose, Slice, Split, Concat (a KV cache append in place) and Expand as strided copies. */
  private static Optional<List<Variant>> copy(Node node, JavaLowering context) {
    String input = node.inputs().get(0);
    if (context.dtype(input) == DType.STRING) {
      return Optional.empty();
    }
    List<Dim> inShape = context.shape(input);
    List<Dispatch> dispatches = new ArrayList<>();
    String variant = "copy";
    Movement movement = member(Movement.class, node.opType()).orElseThrow();
    switch (movement) {
      case TRANSPOSE -> {
        long[] perm = node.attributes().getInts("perm", reversed(inShape.size()));
        String output = node.outputs().get(0);
        if (readInPlace(node, context, perm)) {
          context.read(input);
          context.permutedView(output, input, Arrays.stream(perm).mapToObj(p -> (int) p).toList());
          return Optional.of(List.of(new Variant("view", List.of(), List.of())));
        }
        dispatches.add(
            copy(
                context,
                input,
                output,
                CopyGeometry.transpose(inShape, context.strides(input), perm)));
      }
      case SLICE -> {
        List<Dim> starts = new ArrayList<>(Collections.nCopies(inShape.size(), Dim.of(0)));
        long[] steps = new long[inShape.size()];
        Arrays.fill(steps, 1);
        for (Slicing.AxisWindow w : Slicing.windows(InferenceContext.of(context.graph(), node))) {
          starts.set(w.axis(), w.start());
          steps[w.axis()] = w.step();
        }
        String output = node.outputs().get(0);
        dispatches.add(
            copy(
                context,
                input,
                output,
                CopyGeometry.slice(inShape, context.shape(output), starts, steps)));
      }
      case SPLIT -> {
        int axis = Axes.normalize(node.attributes().getInt("axis", 0), inShape.size());
        Dim offset = Dim.of(0);
        long[] steps = new long[inShape.size()];
        Arrays.fill(steps, 1);
        for (String output : node.outputs()) {
          List<Dim> outShape = context.shape(output);
          List<Dim> starts = new ArrayList<>(Collections.nCopies(inShape.size(), Dim.of(0)));
          starts.set(axis, offset);
          dispatches.add(
              copy(context, input, output, CopyGeometry.slice(inShape, outShape, starts, steps)));
          offset = offset.plus(outShape.get(axis));
        }
      }
      case CONCAT -> {
        var cache = context.appendedBy(node);
        if (cache.isPresent()) {
          KvCacheAppend.Cache c = cache.get();
          String part = node.inputs().get(1);
          Dim offset = context.shape(c.past()).get(c.axis());
          dispatches.add(
              copy(
                  context,
                  part,
                  c.present(),
                  CopyGeometry.concatPart(
                      context.shape(part), context.layout(c.present()), c.axis(), offset)));
          variant = "append_in_place";
        } else {
          String output = node.outputs().get(0);
          List<Dim> outShape = context.shape(output);
          int axis = Axes.normalize(node.attributes().getInt("axis"), outShape.size());
          Dim offset = Dim.of(0);
          for (String part : node.inputs()) {
            List<Dim> partShape = context.shape(part);
            dispatches.add(
                copy(
                    context,
                    part,
                    output,
                    CopyGeometry.concatPart(partShape, outShape, axis, offset)));
            offset = offset.plus(partShape.get(axis));
          }
        }
      }
      case TILE -> {
        Optional<List<Dim>> repeats = context.dims(node.inputs().get(1));
        if (repeats.isEmpty()) {
          return Optional.empty();
        }
        dispatches.add(
            copy(context, input, node.outputs().get(0), CopyGeometry.tile(inShape, repeats.get())));
      }
      case DEPTH_TO_SPACE, SPACE_TO_DEPTH -> {
        String output = node.outputs().get(0);
        long block = node.attributes().getInt("blocksize");
        dispatches.add(
            copy(
                context,
                input,
                output,
                movement == Movement.DEPTH_TO_SPACE
                    ? CopyGeometry.depthToSpace(
                        inShape,
                        context.shape(output),
                        block,
                        node.attributes().getString("mode", "DCR").equals("CRD"))
                    : CopyGeometry.spaceToDepth(inShape, context.shape(output), block)));
      }
      case EXPAND -> {
        String output = node.outputs().get(0);
        dispatches.add(
            copy(context, input, output, CopyGeometry.expand(inShape, context.shape(output))));
      }
    }
    return Optional.of(
        List.of(
            new Variant(
                variant + (dispatches.size() > 1 ? "_x" + dispatches.size() : ""),
                List.of(),
                dispatches)));
  }

  private static Dispatch copy(JavaLowering context, String from, String to, CopyGeometry g) {
    int axes = g.extents().size();
    String kernel = context.kernel("strided_copy_" + axes, new JavaKernelSpec.StridedCopy(axes));
    List<Argument> arguments =
        new ArrayList<>(List.of(context.read(from), new Argument.Buffer(to)));
    arguments.add(new Argument.Long(g.inputOffset()));
    arguments.add(new Argument.Long(g.outputOffset()));
    g.extents().forEach(d -> arguments.add(new Argument.Long(d)));
    g.inputStrides().forEach(d -> arguments.add(new Argument.Long(d)));
    g.outputStrides().forEach(d -> arguments.add(new Argument.Long(d)));
    return dispatch(kernel, arguments, Dims.product(g.extents()));
  }

  private static long[] reversed(int rank) {
    long[] perm = new long[rank];
    for (int i = 0; i < rank; i++) {
      perm[i] = rank - 1 - i;
    }
    return perm;
  }

  // MatMul and Gemm.

  /**
   * Constant float32 weights: packed at compile time ({@link PackedMatrix}), one variant per row
   * class of the schedule, GEMV for the one-row class and GEMM for the others. Two float32
   * activations of rank 2 or more whose batches are whole or shared: the batched product.
   */
  private static Optional<List<Variant>> matMul(Node node, JavaLowering context) {
    if (!allFloat32(node, context)) {
      return Optional.empty();
    }
    String a = node.inputs().get(0);
    String b = node.inputs().get(1);
    boolean gemm = node.opType().equals("Gemm");
    Optional<Tensor> weights = context.constant(b);
    List<Dim> aShape = context.shape(a);
    if (weights.isPresent() && weights.get().rank() == 2 && aShape.size() >= (gemm ? 2 : 1)) {
      if (gemm && (node.attributes().getInt("transA", 0) != 0 || aShape.size() != 2)) {
        return Optional.empty();
      }
      Tensor matrix =
          weightMatrix(
              weights.get(),
              gemm && node.attributes().getInt("transB", 0) != 0,
              gemm ? node.attributes().getFloat("alpha", 1f) : 1f);
      Optional<Optional<Tensor>> bias =
          gemm ? bias(node, context, matrix.dim(1)) : Optional.of(Optional.empty());
      if (bias.isEmpty() || !aShape.getLast().equals(Dim.of(matrix.dim(0)))) {
        return Optional.empty();
      }
      return Optional.of(packed(node, context, a, b, matrix, bias.get()));
    }
    if (gemm || weights.isPresent() && weights.get().rank() < 2) {
      return Optional.empty();
    }
    return batched(node, context);
  }

  /** B as [K, N]: transposed for transB, scaled by alpha. */
  private static Tensor weightMatrix(Tensor b, boolean transposed, float alpha) {
    long k = transposed ? b.dim(1) : b.dim(0);
    long n = transposed ? b.dim(0) : b.dim(1);
    Tensor matrix = Tensor.allocate(DType.FLOAT32, k, n);
    for (int row = 0; row < k; row++) {
      for (int column = 0; column < n; column++) {
        int from = transposed ? (int) (column * k + row) : (int) (row * n + column);
        matrix.setFloat((int) (row * n + column), alpha * b.getFloat(from));
      }
    }
    return matrix;
  }

  /**
   * Gemm's C times beta as one value per column (empty inside: no C); outside empty: a C no kernel
   * takes.
   */
  private static Optional<Optional<Tensor>> bias(Node node, JavaLowering context, long n) {
    if (node.inputs().size() < 3 || node.inputs().get(2).isEmpty()) {
      return Optional.of(Optional.empty());
    }
    Optional<Tensor> c = context.constant(node.inputs().get(2));
    if (c.isEmpty()) {
      return Optional.empty();
    }
    long[] shape = c.get().shape();
    boolean perColumn =
        c.get().size() == n && (shape.length == 1 || (shape.length == 2 && shape[0] == 1));
    boolean single = c.get().size() == 1;
    if (!perColumn && !single) {
      return Optional.empty();
    }
    float beta = node.attributes().getFloat("beta", 1f);
    Tensor bias = Tensor.allocate(DType.FLOAT32, n);
    for (int column = 0; column < n; column++) {
      bias.setFloat(column, beta * c.get().getFloat(single ? 0 : column));
    }
    return Optional.of(Optional.of(bias));
  }

  private static List<Variant> packed(
      Node node, JavaLowering context, String a, String b, Tensor matrix, Optional<Tensor> bias) {
    int k = (int) matrix.dim(0);
    int n = (int) matrix.dim(1);
    float[] plain = matrix.toFloatArray();
    float[] packed = new float[PackedMatrix.packedLength(k, n)];
    PackedMatrix.pack(plain, 0, k, n, packed, 0);
    String weights = b + "#java-packed" + (node.opType().equals("Gemm") ? "#" + node.name() : "");
    List<Argument> arguments =
        new ArrayList<>(
            List.of(
                context.read(a),
                context.param(weights, Tensor.ofFloats(new long[] {packed.length}, packed))));
    bias.ifPresent(
        t -> arguments.add(context.param(node.inputs().get(2) + "#java-bias#" + node.name(), t)));
    arguments.add(new Argument.Buffer(node.outputs().get(0)));
    List<Dim> aShape = context.shape(a);
    Dim rows = Dims.product(aShape.subList(0, aShape.size() - 1));
    String sizes = "_k" + k + "_n" + n + (bias.isPresent() ? "_bias" : "");
    List<Variant> variants = new ArrayList<>();
    for (SizeRanges.Interval rowClass :
        context.ranges().classes(rows, context.schedule().matmulCuts())) {
      Schedule.MatMulClass choice = context.schedule().matmulClass(rowClass.max());
      String kind = choice.kernel().equals("gemv") ? "GEMV" : "GEMM";
      String kernel =
          context.kernel(
              kind.toLowerCase() + sizes,
              new JavaKernelSpec.PackedMatMul(kind, k, n, bias.isPresent()));
      String name =
          kind.toLowerCase()
              + (rowClass.min() == rowClass.max() ? "_rows" + rowClass.min() : "_rows" + rowClass);
      if (variants.stream().anyMatch(v -> v.name().equals(name))) {
        continue;
      }
      variants.add(
          new Variant(
              name, List.of(rowClass.on(rows)), List.of(dispatch(kernel, arguments, rows))));
    }
    return variants;
  }

  private static Optional<List<Variant>> batched(Node node, JavaLowering context) {
    String a = node.inputs().get(0);
    String b = node.inputs().get(1);
    String output = node.outputs().get(0);
    List<Dim> aShape = context.shape(a);
    List<Dim> bShape = context.shape(b);
    List<Dim> outShape = context.shape(output);
    if (aShape.size() < 2 || bShape.size() < 2) {
      return Optional.empty();
    }
    List<Dim> batchDims = outShape.subList(0, outShape.size() - 2);
    if (!wholeOrShared(aShape, batchDims) || !wholeOrShared(bShape, batchDims)) {
      return Optional.empty();
    }
    String kernel = context.kernel("batched_matmul", new JavaKernelSpec.BatchedMatMul());
    return oneDispatch(
        kernel, node, context, Dims.product(outShape.subList(0, outShape.size() - 1)));
  }

  /** An operand's batch dims: the output's (right-aligned), or of size 1 each where they differ. */
  private static boolean wholeOrShared(List<Dim> shape, List<Dim> batchDims) {
    List<Dim> own = shape.subList(0, shape.size() - 2);
    int shift = batchDims.size() - own.size();
    if (shift < 0) {
      return false;
    }
    for (int i = 0; i < own.size(); i++) {
      if (!own.get(i).equals(batchDims.get(i + shift)) && !Dims.isOne(own.get(i))) {
        return false;
      }
    }
    return true;
  }
}
