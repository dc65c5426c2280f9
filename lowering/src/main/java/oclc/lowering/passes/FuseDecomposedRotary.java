package oclc.lowering.passes;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import oclc.ir.Attribute;
import oclc.ir.Attributes;
import oclc.ir.Graph;
import oclc.ir.Node;
import oclc.ir.TensorType;
import oclc.ir.passes.EliminateDeadCode;
import oclc.lowering.LoweringAttributes;

/**
 * {@code fuse-decomposed-rotary}: the exporter's decomposed rotary embedding ({@link
 * DecomposedRotary}: two products, the slices, negation and concat of {@code rotate_half}, and
 * their sum) rewritten into one RotaryEmbedding node, which both backends compute with one kernel.
 * It reads half-width tables: where the full tables are {@code Cos}/{@code Sin} of {@code Concat(f,
 * f)}, one {@code Cos(f)} and one {@code Sin(f)} are computed, before the first rotary that reads
 * them, and shared by every layer's; the full tables, their Unsqueezes and the Concat are then dead
 * and dropped. The node takes the name and the place of the pattern's sum and records the nodes it
 * replaces and the values between them ({@link LoweringAttributes#FUSED}, {@link
 * LoweringAttributes#INTERNAL}). A pattern with a node that has a user kernel stays as it is. Only
 * with fusion.
 */
public final class FuseDecomposedRotary extends LoweringPass {
  public static final String NAME = "fuse-decomposed-rotary";

  public FuseDecomposedRotary(LoweringOptions options) {
    super(NAME, options);
  }

  @Override
  public Graph apply(Graph graph) {
    if (!options.fuse()) {
      return graph;
    }
    DecomposedLayerNorm.Readers readers = DecomposedLayerNorm.Readers.of(graph);
    Map<String, Node> producers = graph.producers();
    Map<String, Node> rotaryBySum = new HashMap<>();
    Map<String, DecomposedRotary.Half> halves = new HashMap<>();
    Set<String> replaced = new HashSet<>();
    for (Node node : graph.nodes()) {
      Optional<DecomposedRotary.Match> match;
      try {
        match = DecomposedRotary.match(node, readers, producers, graph);
      } catch (IllegalArgumentException e) {
        continue; // a shape known only at run time: the nodes stay as they are
      }
      if (match.isEmpty() || match.get().nodes().stream().anyMatch(options.userKernel())) {
        continue;
      }
      Optional<DecomposedRotary.Half> cos = half(match.get().cos(), halves, producers, graph);
      Optional<DecomposedRotary.Half> sin = half(match.get().sin(), halves, producers, graph);
      if (cos.isEmpty() || sin.isEmpty()) {
        continue;
      }
      rotaryBySum.put(node.name(), rotary(match.get(), cos.get().value(), sin.get().value()));
      match.get().nodes().forEach(n -> replaced.add(n.name()));
    }
    if (rotaryBySum.isEmpty()) {
      return graph;
    }
    Map<String, Node> halfNodes = new HashMap<>(); // by the half table they compute
    halves.values().forEach(h -> h.node().ifPresent(n -> halfNodes.put(h.value(), n)));
    Map<String, TensorType> types = new LinkedHashMap<>(graph.valueTypes());
    List<Node> nodes = new ArrayList<>();
    for (Node node : graph.nodes()) {
      Node rotary = rotaryBySum.get(node.name());
      if (rotary != null) {
        for (String table : rotary.inputs().subList(1, 3)) {
          Node half = halfNodes.remove(table); // before the first rotary that reads it
          if (half != null) {
            nodes.add(half);
            types.put(table, graph.type(half.inputs().getFirst()).orElseThrow());
          }
        }
        nodes.add(rotary);
      } else if (!replaced.contains(node.name())) {
        nodes.add(node);
      }
    }
    // the values between the replaced nodes, the full tables, their Unsqueezes and the angles'
    // Concat: read by nothing any more
    return new EliminateDeadCode()
        .apply(graph.with(nodes, graph.constants(), types, graph.assertions()));
  }

  /** The half of a full table, found once per table. */
  private static Optional<DecomposedRotary.Half> half(
      String table,
      Map<String, DecomposedRotary.Half> halves,
      Map<String, Node> producers,
      Graph graph) {
    DecomposedRotary.Half known = halves.get(table);
    if (known != null) {
      return Optional.of(known);
    }
    Optional<DecomposedRotary.Half> half = DecomposedRotary.half(table, producers, graph);
    half.ifPresent(h -> halves.put(table, h));
    return half;
  }

  /** The RotaryEmbedding computing a match, named after its sum. */
  private static Node rotary(DecomposedRotary.Match match, String cos, String sin) {
    Node sum = match.sum();
    List<Node> inner = match.nodes().subList(0, match.nodes().size() - 1);
    Node node =
        new Node(
            sum.name(),
            "",
            "RotaryEmbedding",
            List.of(match.x(), cos, sin),
            sum.outputs(),
            new Attributes(Map.of("interleaved", new Attribute.IntValue(0))));
    Node fused =
        LoweringAttributes.with(
            node, LoweringAttributes.FUSED, inner.stream().map(Node::name).toList());
    return LoweringAttributes.with(
        fused,
        LoweringAttributes.INTERNAL,
        inner.stream().map(n -> n.outputs().getFirst()).toList());
  }
}
