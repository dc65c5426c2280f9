package oclc.compiler;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import oclc.artifact.Manifest;
import oclc.ir.Constant;
import oclc.ir.Dim;
import oclc.ir.Graph;
import oclc.ir.Node;
import oclc.ir.OpDefinition;
import oclc.ir.OpRegistry;
import oclc.ir.Shape;
import oclc.ir.ValueInfo;

/**
 * The graph inputs whose values index rows of a weight: positions a Gather reads a constant table
 * at (token ids into an embedding, position ids into positions), fed directly or through ops that
 * keep the values ({@link OpDefinition#copiesValuesOf}: a reshape, a Cast between integer types). A
 * kernel cannot refuse a position, so the session checks these inputs when they are bound.
 */
final class InputIndexRanges {
  private InputIndexRanges() {}

  /** For each integer input of {@code graph} that indexes a table, the smallest such table. */
  static Map<String, Manifest.IndexRange> of(Graph graph) {
    Map<String, Manifest.IndexRange> ranges = new LinkedHashMap<>();
    for (ValueInfo input : graph.inputs()) {
      if (!input.dtype().isInteger()) {
        continue;
      }
      Deque<String> values = new ArrayDeque<>(List.of(input.name()));
      while (!values.isEmpty()) {
        String value = values.pop();
        for (Node node : graph.nodes()) {
          OpDefinition op = OpRegistry.standard().find(node).orElse(null);
          for (int i = 0; op != null && i < node.inputs().size(); i++) {
            if (!node.inputs().get(i).equals(value)) {
              continue;
            }
            if (op.copiesValuesOf(node.attributes(), i)) {
              values.push(node.outputs().getFirst());
            }
            OptionalInt axis = op.indexedAxis(node.attributes(), i);
            if (axis.isPresent()) {
              tableRows(graph, node, axis.getAsInt())
                  .filter(
                      rows ->
                          !ranges.containsKey(input.name())
                              || rows < ranges.get(input.name()).rows())
                  .ifPresent(
                      rows ->
                          ranges.put(
                              input.name(),
                              new Manifest.IndexRange(
                                  rows, node.inputs().getFirst(), node.name())));
            }
          }
        }
      }
    }
    return ranges;
  }

  /** The length of axis {@code axis} of the constant table a node reads, where it is known. */
  private static Optional<Long> tableRows(Graph graph, Node node, int axis) {
    Constant table = graph.constants().get(node.inputs().getFirst());
    if (table == null) {
      return Optional.empty();
    }
    Shape shape = table.type().shape();
    int normalized = axis < 0 ? axis + shape.rank() : axis;
    if (normalized < 0 || normalized >= shape.rank()) {
      return Optional.empty();
    }
    Dim rows = shape.dim(normalized);
    return rows.isConstant() ? Optional.of(rows.constant()) : Optional.empty();
  }
}
