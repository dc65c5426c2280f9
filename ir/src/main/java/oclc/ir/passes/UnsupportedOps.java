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
      nodesByOp.forEach((op, nodes) -> problems.add(
          op + " (opset " + graph.opset(graph.nodes().stream()
              .filter(n -> n.qualifiedOpType().equals(op)).findFirst().orElseThrow().domain())
              + ") at " + (nodes.size() == 1 ? "node " : nodes.size() + " nodes: ")
              + String.join(", ", nodes)));
      throw new UnsupportedOpsException(problems);
    }
  }
}
