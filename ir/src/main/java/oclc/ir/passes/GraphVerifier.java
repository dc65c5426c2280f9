package oclc.ir.passes;

import java.util.HashSet;
import java.util.Set;
import oclc.ir.Graph;
import oclc.ir.Node;
import oclc.ir.OclcException;
import oclc.ir.ValueInfo;

/** Checks the invariants every pass must keep: each value defined once, before its uses. */
public final class GraphVerifier {
  private GraphVerifier() {}

  public static void verify(Graph graph, String where) {
    Set<String> defined = new HashSet<>(graph.constants().keySet());
    for (ValueInfo in : graph.inputs()) {
      defineOnce(defined, in.name(), "graph input", where);
    }
    for (Node node : graph.nodes()) {
      for (String input : node.inputs()) {
        if (!input.isEmpty() && !defined.contains(input)) {
          throw new OclcException(
              "invalid graph "
                  + where
                  + ": "
                  + node
                  + " reads '"
                  + input
                  + "', which no earlier node, input or constant defines");
        }
      }
      for (String output : node.outputs()) {
        if (!output.isEmpty()) {
          defineOnce(defined, output, node.toString(), where);
        }
      }
    }
    for (ValueInfo out : graph.outputs()) {
      if (!defined.contains(out.name())) {
        throw new OclcException(
            "invalid graph " + where + ": output '" + out.name() + "' is never defined");
      }
    }
  }

  private static void defineOnce(Set<String> defined, String name, String by, String where) {
    if (!defined.add(name)) {
      throw new OclcException(
          "invalid graph " + where + ": value '" + name + "' is defined twice (by " + by + ")");
    }
  }
}
