package oclc.codegen.cpu;

import static oclc.codegen.cpu.JavaVariants.dispatch;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import oclc.artifact.Manifest.Argument;
import oclc.artifact.Manifest.Dispatch;
import oclc.artifact.Manifest.Variant;
import oclc.ir.DType;
import oclc.ir.Dim;
import oclc.ir.InferenceContext;
import oclc.ir.Node;
import oclc.ir.ops.Slicing;
import oclc.lowering.CopyGeometry;
import oclc.lowering.CopyPart;
import oclc.lowering.Dims;

/**
 * The Java side of the movement family: every op a strided copy of its own geometry (a Transpose
 * that only a batched MatMul reads is a view).
 */
public final class JavaMovement {
  private JavaMovement() {}

  public static final JavaFamily FAMILY =
      JavaFamily.builder()
          .op("Transpose", "copy", JavaMovement::transpose)
          .op("Slice", "copy", strided(JavaMovement::slice))
          .op("Split", "copy", strided(JavaMovement::split))
          .op("Concat", "copy", strided(JavaMovement::concat))
          .op("Expand", "copy", strided(JavaMovement::expand))
          .op("Tile", "copy", strided(JavaMovement::tile))
          .op("DepthToSpace", "copy", strided(JavaMovement::depthToSpace))
          .op("SpaceToDepth", "copy", strided(JavaMovement::spaceToDepth))
          .symbolicSizes()
          .build();

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
        && readers.stream().allMatch(r -> JavaMatMul.readsThroughStrides(r, output, context));
  }

  /** The op's copies: the dispatches, each a strided copy, with the variant's name. */
  private record Copies(String variant, List<Dispatch> dispatches) {
    Copies(Dispatch dispatch) {
      this("copy", List.of(dispatch));
    }
  }

  /** One op's geometry: its copies from the input of shape {@code inShape}; empty if none. */
  @FunctionalInterface
  private interface Geometry {
    Optional<Copies> copies(Node node, JavaLowering context, String input, List<Dim> inShape);
  }

  /** An op as strided copies of {@code geometry} (any element type but strings). */
  private static JavaFamily.OpLowering strided(Geometry geometry) {
    return (node, context) -> {
      String input = node.inputs().get(0);
      if (context.dtype(input) == DType.STRING) {
        return Optional.empty();
      }
      return geometry
          .copies(node, context, input, context.shape(input))
          .map(
              c ->
                  List.of(
                      new Variant(
                          c.variant()
                              + (c.dispatches().size() > 1 ? "_x" + c.dispatches().size() : ""),
                          List.of(),
                          c.dispatches())));
    };
  }

  /** A Transpose: a view when only batched MatMuls read it ({@link #readInPlace}), else a copy. */
  private static Optional<List<Variant>> transpose(Node node, JavaLowering context) {
    String input = node.inputs().get(0);
    long[] perm = node.attributes().getInts("perm", reversed(context.shape(input).size()));
    if (context.dtype(input) != DType.STRING && readInPlace(node, context, perm)) {
      context.read(input);
      context.permutedView(
          node.outputs().get(0), input, Arrays.stream(perm).mapToObj(p -> (int) p).toList());
      return Optional.of(List.of(new Variant("view", List.of(), List.of())));
    }
    return strided(
            (n, c, in, inShape) ->
                Optional.of(one(c, in, n, CopyGeometry.transpose(inShape, c.strides(in), perm))))
        .lower(node, context);
  }

  private static Optional<Copies> slice(
      Node node, JavaLowering context, String input, List<Dim> inShape) {
    List<Dim> starts = new ArrayList<>(Collections.nCopies(inShape.size(), Dim.of(0)));
    long[] steps = new long[inShape.size()];
    Arrays.fill(steps, 1);
    for (Slicing.AxisWindow w : Slicing.windows(InferenceContext.of(context.graph(), node))) {
      starts.set(w.axis(), w.start());
      steps[w.axis()] = w.step();
    }
    return Optional.of(
        one(
            context,
            input,
            node,
            CopyGeometry.slice(inShape, context.shape(node.outputs().get(0)), starts, steps)));
  }

  private static Optional<Copies> split(
      Node node, JavaLowering context, String input, List<Dim> inShape) {
    return Optional.of(new Copies("copy", copies(context, CopyPart.split(node, context::shape))));
  }

  /** A Concat: its new part copied into the cache in place when it is a KV cache append. */
  private static Optional<Copies> concat(
      Node node, JavaLowering context, String input, List<Dim> inShape) {
    var cache = context.appendedBy(node);
    if (cache.isPresent()) {
      CopyPart append =
          CopyPart.append(node, cache.get(), context::shape, context.layout(cache.get().present()));
      return Optional.of(new Copies("append_in_place", copies(context, List.of(append))));
    }
    return Optional.of(new Copies("copy", copies(context, CopyPart.concat(node, context::shape))));
  }

  private static List<Dispatch> copies(JavaLowering context, List<CopyPart> parts) {
    return parts.stream().map(p -> copy(context, p.from(), p.to(), p.geometry())).toList();
  }

  private static Optional<Copies> tile(
      Node node, JavaLowering context, String input, List<Dim> inShape) {
    return context
        .dims(node.inputs().get(1))
        .map(repeats -> one(context, input, node, CopyGeometry.tile(inShape, repeats)));
  }

  private static Optional<Copies> depthToSpace(
      Node node, JavaLowering context, String input, List<Dim> inShape) {
    CopyGeometry g =
        CopyGeometry.depthToSpace(
            inShape,
            context.shape(node.outputs().get(0)),
            node.attributes().getInt("blocksize"),
            node.attributes().getString("mode", "DCR").equals("CRD"));
    return Optional.of(one(context, input, node, g));
  }

  private static Optional<Copies> spaceToDepth(
      Node node, JavaLowering context, String input, List<Dim> inShape) {
    CopyGeometry g =
        CopyGeometry.spaceToDepth(
            inShape, context.shape(node.outputs().get(0)), node.attributes().getInt("blocksize"));
    return Optional.of(one(context, input, node, g));
  }

  private static Optional<Copies> expand(
      Node node, JavaLowering context, String input, List<Dim> inShape) {
    return Optional.of(
        one(
            context,
            input,
            node,
            CopyGeometry.expand(inShape, context.shape(node.outputs().get(0)))));
  }

  /** The one copy of an op with one output: {@code from} into it through {@code g}. */
  private static Copies one(JavaLowering context, String from, Node node, CopyGeometry g) {
    return new Copies(copy(context, from, node.outputs().get(0), g));
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
}
