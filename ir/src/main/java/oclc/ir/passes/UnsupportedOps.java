package oclc.ir.passes;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import oclc.ir.Graph;
import oclc.ir.Node;
import oclc.ir.OpRegistry;

/** Finds every op of a graph that the registry does not define, before any work is done. */
public final class UnsupportedOps {
  private UnsupportedOps() {}

  /** Throws {@link UnsupportedOpsException} naming each unsupported op and all its nodes. */
  public static void check(Graph graph, OpRegistry registry) {
    Map<String, List<String>> nodesByOp = new LinkedHashMap<>();
    for (Node node : graph.nodes()) {
      if (registry.find(node).isEmpty()) {
        nodesByOp.computeIfAbsent(node.qualifiedOpType(), k -> new ArrayList<>()).add(node.name());
      }
    }
    if (!nodesByOp.isEmpty()) {
      List<String> problems = new ArrayList<>();
      nodesByOp.forEach(
          (op, nodes) ->
              problems.add(
                  op
                      + " (opset "
                      + graph.opset(
                          graph.nodes().stream()
                              .filter(n -> n.qualifiedOpType().equals(op))
                              .findFirst()
                              .orElseThrow()
                              .domain())
                      + ") at "
                      + (nodes.size() == 1 ? "node " : nodes.size() + " nodes: ")
                      + names(nodes)));
      throw new UnsupportedOpsException(problems);
    }
  }

  /** Up to ten node names, then a count, so that a 48-fold op stays on one readable line. */
  private static String names(List<String> nodes) {
    int shown = Math.min(nodes.size(), 10);
    String list = String.join(", ", nodes.subList(0, shown));
    return shown == nodes.size() ? list : list + " and " + (nodes.size() - shown) + " more";
  }
}
