package oclc.codegen.opencl;

import java.util.ArrayList;
import java.util.List;
import oclc.artifact.Manifest.Argument;
import oclc.artifact.Manifest.Dispatch;
import oclc.artifact.Manifest.Variant;
import oclc.ir.DType;
import oclc.ir.Dim;
import oclc.ir.Node;
import oclc.ir.ops.Slicing;
import oclc.lowering.CopyGeometry;
import oclc.lowering.CopyPart;
import oclc.lowering.KvCacheAppend;

/**
 * Transpose, Slice, Split, Concat, Expand, Tile, DepthToSpace and SpaceToDepth, each as strided
 * copies ({@link CopyGeometry}): one dispatch per output of a Split and per input of a Concat.
 */
public final class MovementLowering {
  private MovementLowering() {}

  public static final OpenClFamily FAMILY =
      OpenClFamily.builder()
          .op("Transpose", copies(MovementLowering::transpose))
          .op("Slice", copies(MovementLowering::slice))
          .op("Split", copies(MovementLowering::split))
          .op("Concat", MovementLowering::concat)
          .op("Expand", copies(MovementLowering::expand))
          .op("Tile", copies(MovementLowering::tile))
          .op("DepthToSpace", copies(MovementLowering::depthToSpace))
          .op("SpaceToDepth", copies(MovementLowering::spaceToDepth))
          .build();

  /** One op's copies from its input (of shape {@code inShape} and element type {@code copy}). */
  @FunctionalInterface
  private interface Copies {
    List<Dispatch> of(
        Node node, LoweringContext context, String input, List<Dim> inShape, DType copy);
  }

  /** An op as one variant of its copies, named after the first. */
  private static NodeLowering copies(Copies copies) {
    return (node, context) -> {
      String input = node.inputs().get(0);
      List<Dispatch> dispatches =
          copies.of(node, context, input, context.shape(input), context.dtype(input));
      return List.of(
          new Variant(
              dispatches.getFirst().kernel()
                  + (dispatches.size() > 1 ? "_x" + dispatches.size() : ""),
              List.of(),
              dispatches));
    };
  }

  private static List<Dispatch> transpose(
      Node node, LoweringContext context, String input, List<Dim> inShape, DType copy) {
    long[] perm = node.attributes().getInts("perm", reversed(inShape.size()));
    return List.of(
        copy(
            context,
            copy,
            input,
            node.outputs().get(0),
            CopyGeometry.transpose(inShape, context.strides(input), perm)));
  }

  private static List<Dispatch> slice(
      Node node, LoweringContext context, String input, List<Dim> inShape, DType copy) {
    List<Dim> starts = new ArrayList<>(java.util.Collections.nCopies(inShape.size(), Dim.of(0)));
    long[] steps = new long[inShape.size()];
    java.util.Arrays.fill(steps, 1);
    for (Slicing.AxisWindow w : Slicing.windows(context.inference(node))) {
      starts.set(w.axis(), w.start());
      steps[w.axis()] = w.step();
    }
    String output = node.outputs().get(0);
    return List.of(
        copy(
            context,
            copy,
            input,
            output,
            CopyGeometry.slice(inShape, context.shape(output), starts, steps)));
  }

  private static List<Dispatch> split(
      Node node, LoweringContext context, String input, List<Dim> inShape, DType copy) {
    return copies(context, copy, CopyPart.split(node, context::shape));
  }

  /** A Concat: a KV cache append copies only its new part; else one copy per input. */
  private static List<Variant> concat(Node node, LoweringContext context) {
    var cache = context.appendedBy(node);
    if (cache.isPresent()) {
      return List.of(
          appendInPlace(node, context, context.dtype(node.inputs().get(0)), cache.get()));
    }
    return copies(MovementLowering::concatParts).lower(node, context);
  }

  private static List<Dispatch> concatParts(
      Node node, LoweringContext context, String input, List<Dim> inShape, DType copy) {
    return copies(context, copy, CopyPart.concat(node, context::shape));
  }

  private static List<Dispatch> copies(LoweringContext context, DType copy, List<CopyPart> parts) {
    return parts.stream().map(p -> copy(context, copy, p.from(), p.to(), p.geometry())).toList();
  }

  private static List<Dispatch> expand(
      Node node, LoweringContext context, String input, List<Dim> inShape, DType copy) {
    String output = node.outputs().get(0);
    return List.of(
        copy(context, copy, input, output, CopyGeometry.expand(inShape, context.shape(output))));
  }

  private static List<Dispatch> tile(
      Node node, LoweringContext context, String input, List<Dim> inShape, DType copy) {
    List<Dim> repeats =
        context
            .dims(node.inputs().get(1))
            .orElseThrow(
                () -> new NotLowerableException("Tile's repeats are known only at run time"))
            .elements();
    return List.of(
        copy(context, copy, input, node.outputs().get(0), CopyGeometry.tile(inShape, repeats)));
  }

  private static List<Dispatch> depthToSpace(
      Node node, LoweringContext context, String input, List<Dim> inShape, DType copy) {
    String output = node.outputs().get(0);
    CopyGeometry g =
        CopyGeometry.depthToSpace(
            inShape,
            context.shape(output),
            node.attributes().getInt("blocksize"),
            node.attributes().getString("mode", "DCR").equals("CRD"));
    return List.of(copy(context, copy, input, output, g));
  }

  private static List<Dispatch> spaceToDepth(
      Node node, LoweringContext context, String input, List<Dim> inShape, DType copy) {
    String output = node.outputs().get(0);
    CopyGeometry g =
        CopyGeometry.spaceToDepth(
            inShape, context.shape(output), node.attributes().getInt("blocksize"));
    return List.of(copy(context, copy, input, output, g));
  }

  /** A KV cache append: only the new part is copied, behind the past already in the cache. */
  private static Variant appendInPlace(
      Node node, LoweringContext context, DType dtype, KvCacheAppend.Cache cache) {
    CopyPart append = CopyPart.append(node, cache, context::shape, context.layout(cache.present()));
    return new Variant("append_in_place", List.of(), copies(context, dtype, List.of(append)));
  }

  private static Dispatch copy(
      LoweringContext context, DType dtype, String from, String to, CopyGeometry g) {
    KernelSource kernel = MovementKernels.stridedCopy(dtype, g);
    List<Argument> arguments = new ArrayList<>(List.of(context.read(from), context.write(to)));
    arguments.addAll(Scalars.ints(g.scalarArguments()));
    return context.dispatch(kernel, arguments, g.globalSize());
  }

  private static long[] reversed(int rank) {
    long[] perm = new long[rank];
    for (int i = 0; i < rank; i++) {
      perm[i] = rank - 1 - i;
    }
    return perm;
  }
}
