package oclc.lowering.passes;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import oclc.ir.Attribute;
import oclc.ir.Graph;
import oclc.ir.Node;
import oclc.lowering.LoweringAttributes;

/**
 * {@code fusion-groups}: the backend's fusion plan ({@link FusionPlanner}) recorded on the nodes:
 * the group's first node says its kind and the values it stores, every other member the group it is
 * fused into, a view launched alone too says so, and a node launched just before a group names it.
 * Nodes keep their order and their ops, so the graph still runs on the reference executor. Only
 * with fusion, on a backend that plans groups (the Java backend does not).
 */
public final class FusionGroups extends LoweringPass {
  public static final String NAME = "fusion-groups";

  public FusionGroups(LoweringOptions options) {
    super(NAME, options);
  }

  @Override
  public Graph apply(Graph graph) {
    if (!options.fuse() || options.fusionPlanner().isEmpty()) {
      return graph;
    }
    List<FusionPlanner.Group> groups = options.fusionPlanner().get().plan(graph);
    Map<String, Node> annotated = new HashMap<>();
    graph.nodes().forEach(n -> annotated.put(n.name(), n));
    for (FusionPlanner.Group group : groups) {
      annotated.compute(
          group.first(),
          (name, node) ->
              LoweringAttributes.with(
                  LoweringAttributes.with(
                      node,
                      LoweringAttributes.FUSION_GROUP,
                      group.epilogue() ? LoweringAttributes.EPILOGUE : LoweringAttributes.CHAIN),
                  LoweringAttributes.STORED,
                  group.stored()));
      for (String member : group.members()) {
        annotated.compute(
            member,
            (name, node) -> {
              Node marked =
                  LoweringAttributes.with(node, LoweringAttributes.FUSED_INTO, group.first());
              return group.launchedAloneToo().contains(name)
                  ? LoweringAttributes.with(
                      marked, LoweringAttributes.LAUNCHED_ALONE_TOO, new Attribute.IntValue(1))
                  : marked;
            });
      }
      for (String before : group.launchedBefore()) {
        annotated.compute(
            before,
            (name, node) ->
                LoweringAttributes.with(node, LoweringAttributes.LAUNCHED_BEFORE, group.first()));
      }
    }
    return graph.withNodes(graph.nodes().stream().map(n -> annotated.get(n.name())).toList());
  }
}
