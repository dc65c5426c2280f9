package oclc.lowering.passes;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import oclc.ir.Constant;
import oclc.ir.Graph;
import oclc.ir.Node;
import oclc.ir.TensorType;
import oclc.lowering.LoweringAttributes;

/**
 * {@code fuse-decomposed-norms}: the exporter's decomposed LayerNorm ({@link DecomposedLayerNorm})
 * and RMSNorm ({@link DecomposedRmsNorm}) rewritten into one LayerNormalization or RMSNormalization
 * node each, which both backends compute with one row kernel. The node takes the name and the place
 * of the pattern's first node (the launch is named after it) and records the nodes it replaces and
 * the values between them ({@link LoweringAttributes#FUSED}, {@link LoweringAttributes#INTERNAL}),
 * which the manifest lists. Patterns are found in graph order: one starts at a node no earlier
 * pattern took, and none of its values may be read by a node before it; a pattern with a node that
 * has a user kernel stays as it is. Only with fusion.
 */
public final class FuseDecomposedNorms extends LoweringPass {
  public static final String NAME = "fuse-decomposed-norms";

  public FuseDecomposedNorms(LoweringOptions options) {
    super(NAME, options);
  }

  @Override
  public Graph apply(Graph graph) {
    if (!options.fuse()) {
      return graph;
    }
    Map<String, DecomposedLayerNorm.Match> byFirst = new HashMap<>();
    Set<String> covered = new java.util.HashSet<>();
    for (DecomposedLayerNorm.Match match : matches(graph)) {
      byFirst.put(match.nodes().getFirst().name(), match);
      match.nodes().forEach(n -> covered.add(n.name()));
    }
    if (byFirst.isEmpty()) {
      return graph;
    }
    List<Node> nodes = new ArrayList<>();
    Set<String> internal = new java.util.HashSet<>();
    for (Node node : graph.nodes()) {
      DecomposedLayerNorm.Match match = byFirst.get(node.name());
      if (match != null) {
        List<Node> replaced = match.nodes();
        List<String> values =
            replaced.subList(0, replaced.size() - 1).stream()
                .map(n -> n.outputs().getFirst())
                .toList();
        internal.addAll(values);
        Node fused =
            LoweringAttributes.with(
                match.replacement(),
                LoweringAttributes.FUSED,
                replaced.stream().skip(1).map(Node::name).toList());
        nodes.add(LoweringAttributes.with(fused, LoweringAttributes.INTERNAL, values));
      } else if (!covered.contains(node.name())) {
        nodes.add(node);
      }
    }
    Map<String, TensorType> types = new LinkedHashMap<>(graph.valueTypes());
    types.keySet().removeAll(internal); // values no node computes any more
    Set<String> read = new java.util.HashSet<>();
    nodes.forEach(n -> read.addAll(n.inputs()));
    graph.outputs().forEach(o -> read.add(o.name()));
    Map<String, Constant> constants = new LinkedHashMap<>(graph.constants());
    constants.keySet().retainAll(read); // the patterns' exponents and ones no node reads any more
    return graph.with(nodes, constants, types, graph.assertions());
  }

  /** The graph's patterns, in graph order. */
  private List<DecomposedLayerNorm.Match> matches(Graph graph) {
    List<Node> nodes = graph.nodes();
    Map<Node, Integer> index = new HashMap<>();
    for (int i = 0; i < nodes.size(); i++) {
      index.put(nodes.get(i), i);
    }
    DecomposedLayerNorm.Readers readers = DecomposedLayerNorm.Readers.of(graph);
    boolean[] placed = new boolean[nodes.size()];
    DecomposedLayerNorm.Readers
        around = // a value an earlier placed node reads is not the pattern's
        value ->
                readers
                    .readers(value)
                    .filter(list -> list.stream().noneMatch(r -> placed[index.get(r)]));
    List<DecomposedLayerNorm.Match> matches = new ArrayList<>();
    for (int i = 0; i < nodes.size(); i++) {
      if (placed[i]) {
        continue;
      }
      placed[i] = true;
      Node node = nodes.get(i);
      Optional<DecomposedLayerNorm.Match> match;
      try {
        match =
            switch (node.opType()) {
              case "ReduceMean" -> DecomposedLayerNorm.match(node, around, graph);
              case "Pow", "Mul" -> DecomposedRmsNorm.match(node, around, graph);
              default -> Optional.empty();
            };
      } catch (IllegalArgumentException e) {
        continue; // a shape known only at run time: the nodes stay as they are
      }
      Optional<DecomposedLayerNorm.Match> kept =
          match.filter(
              m ->
                  !options.userKernel().test(m.replacement())
                      && m.nodes().stream().noneMatch(options.userKernel()));
      kept.ifPresent(
          m -> {
            m.nodes().forEach(n -> placed[index.get(n)] = true);
            matches.add(m);
          });
    }
    return matches;
  }
}
