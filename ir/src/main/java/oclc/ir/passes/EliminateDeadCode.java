package oclc.ir.passes;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import oclc.ir.Constant;
import oclc.ir.Graph;
import oclc.ir.Node;
import oclc.ir.TensorType;
import oclc.ir.ValueInfo;

/** Drops nodes and constants that no graph output depends on. */
public final class EliminateDeadCode implements Pass {
  /** The pass's name; the last of the graph passes, so what {@code oclc inspect} shows at first. */
  public static final String NAME = "eliminate-dead-code";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public Graph apply(Graph graph) {
    Set<String> live = new HashSet<>();
    graph.outputs().forEach(o -> live.add(o.name()));
    List<Node> kept = new ArrayList<>();
    List<Node> nodes = graph.nodes();
    for (int i = nodes.size() - 1; i >= 0; i--) {
      Node node = nodes.get(i);
      if (node.outputs().stream().anyMatch(live::contains)) {
        kept.add(node);
        node.inputs().stream().filter(in -> !in.isEmpty()).forEach(live::add);
      }
    }
    Collections.reverse(kept);
    Map<String, Constant> constants = new LinkedHashMap<>();
    graph
        .constants()
        .forEach(
            (name, c) -> {
              if (live.contains(name)) {
                constants.put(name, c);
              }
            });
    Set<String> inputs = new HashSet<>();
    graph.inputs().stream().map(ValueInfo::name).forEach(inputs::add);
    Map<String, TensorType> types = new LinkedHashMap<>();
    graph
        .valueTypes()
        .forEach(
            (name, t) -> {
              if (live.contains(name) && !constants.containsKey(name) && !inputs.contains(name)) {
                types.put(name, t);
              }
            });
    return graph.with(kept, constants, types, graph.assertions());
  }
}
