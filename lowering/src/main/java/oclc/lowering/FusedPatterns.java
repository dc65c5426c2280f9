package oclc.lowering;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import oclc.ir.Graph;
import oclc.ir.Node;
import oclc.ir.ValueInfo;

/**
 * The patterns a backend computes as one node ({@link DecomposedLayerNorm}: the exporter's
 * nine-node LayerNorm as one LayerNormalization), found in graph order: a pattern starts at a node
 * no earlier pattern took, and none of its values may be read by a node before it. The OpenCL
 * fusion planner asks the same match, between its fusion groups.
 */
public final class FusedPatterns {
  private FusedPatterns() {}

  /**
   * Nodes one replacement computes: {@code covered} in graph order (the launch is named after the
   * first), {@code replacement} the node that computes them, {@code internal} the values between
   * its inputs and its output (no other node reads them).
   */
  public record Replacement(List<Node> covered, Node replacement, List<String> internal) {}

  /** The graph's patterns, in graph order. */
  public static List<Replacement> of(Graph graph) {
    List<Node> nodes = graph.nodes();
    Map<Node, Integer> index = new HashMap<>();
    Map<String, List<Node>> readers = new HashMap<>();
    for (int i = 0; i < nodes.size(); i++) {
      index.put(nodes.get(i), i);
      for (String input : nodes.get(i).inputs()) {
        List<Node> list = readers.computeIfAbsent(input, k -> new ArrayList<>());
        if (!list.contains(nodes.get(i))) {
          list.add(nodes.get(i));
        }
      }
    }
    Set<String> graphOutputs =
        graph.outputs().stream().map(ValueInfo::name).collect(Collectors.toSet());
    boolean[] placed = new boolean[nodes.size()];
    DecomposedLayerNorm.Readers around =
        value -> {
          if (graphOutputs.contains(value)) {
            return Optional.empty();
          }
          List<Node> list = readers.getOrDefault(value, List.of());
          return list.stream().anyMatch(r -> placed[index.get(r)])
              ? Optional.empty()
              : Optional.of(list);
        };
    List<Replacement> replacements = new ArrayList<>();
    for (int i = 0; i < nodes.size(); i++) {
      if (placed[i]) {
        continue;
      }
      placed[i] = true;
      if (!nodes.get(i).opType().equals("ReduceMean")) {
        continue;
      }
      Optional<DecomposedLayerNorm.Match> match;
      try {
        match = DecomposedLayerNorm.match(nodes.get(i), around, graph);
      } catch (IllegalArgumentException e) {
        continue; // a shape known only at run time: the nodes stay as they are
      }
      match.ifPresent(
          m -> {
            m.nodes().forEach(n -> placed[index.get(n)] = true);
            List<String> internal =
                m.nodes().subList(0, m.nodes().size() - 1).stream()
                    .map(n -> n.outputs().getFirst())
                    .toList();
            replacements.add(new Replacement(m.nodes(), m.layerNormalization(), internal));
          });
    }
    return replacements;
  }
}
