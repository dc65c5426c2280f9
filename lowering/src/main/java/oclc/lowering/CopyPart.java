package oclc.lowering;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.Function;
import oclc.ir.Dim;
import oclc.ir.Node;
import oclc.ir.ops.Axes;

/**
 * The copies of the movement ops that write several parts: a Split (a slice of its input per
 * output), a Concat (each input into its place in the output) and a KV cache append (the new part
 * behind the past, in the cache's layout). Each backend launches one copy kernel per part.
 */
public record CopyPart(String from, String to, CopyGeometry geometry) {

  /** A Split: each output's slice of the input, in order along its axis. */
  public static List<CopyPart> split(Node node, Function<String, List<Dim>> shapes) {
    String input = node.inputs().get(0);
    List<Dim> inShape = shapes.apply(input);
    int axis = Axes.normalize(node.attributes().getInt("axis", 0), inShape.size());
    long[] steps = new long[inShape.size()];
    java.util.Arrays.fill(steps, 1);
    Dim offset = Dim.of(0);
    List<CopyPart> parts = new ArrayList<>();
    for (String output : node.outputs()) {
      List<Dim> outShape = shapes.apply(output);
      List<Dim> starts = new ArrayList<>(Collections.nCopies(inShape.size(), Dim.of(0)));
      starts.set(axis, offset);
      parts.add(new CopyPart(input, output, CopyGeometry.slice(inShape, outShape, starts, steps)));
      offset = offset.plus(outShape.get(axis));
    }
    return parts;
  }

  /** A Concat: where each input lands in the output, in order along its axis. */
  public static List<CopyPart> concat(Node node, Function<String, List<Dim>> shapes) {
    String output = node.outputs().get(0);
    List<Dim> outShape = shapes.apply(output);
    int axis = Axes.normalize(node.attributes().getInt("axis"), outShape.size());
    Dim offset = Dim.of(0);
    List<CopyPart> parts = new ArrayList<>();
    for (String input : node.inputs()) {
      List<Dim> inShape = shapes.apply(input);
      parts.add(
          new CopyPart(input, output, CopyGeometry.concatPart(inShape, outShape, axis, offset)));
      offset = offset.plus(inShape.get(axis));
    }
    return parts;
  }

  /**
   * A KV cache append: only the Concat's new part, copied behind the past into the present's layout
   * (the cache at its capacity).
   */
  public static CopyPart append(
      Node node, KvCacheAppend.Cache cache, Function<String, List<Dim>> shapes, List<Dim> layout) {
    String part = node.inputs().get(1);
    Dim offset = shapes.apply(cache.past()).get(cache.axis());
    return new CopyPart(
        part,
        cache.present(),
        CopyGeometry.concatPart(shapes.apply(part), layout, cache.axis(), offset));
  }
}
