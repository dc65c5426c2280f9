package oclc.compiler;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import oclc.ir.Dim;
import oclc.ir.Graph;
import oclc.ir.Node;
import oclc.ir.ShapeAssertion;
import oclc.ir.TensorType;
import oclc.ir.ValueInfo;

/**
 * A loaded model's graph as JSON ({@code oclc inspect --json}, and graph.json in every artifact).
 */
public final class GraphJson {
  private GraphJson() {}

  /**
   * The model's signature, op counts before and after the passes, assumptions and nodes, for {@link
   * Json#write}.
   */
  public static Map<String, Object> of(LoadedModel loaded) {
    Graph g = loaded.simplified();
    Map<String, Object> root = new LinkedHashMap<>();
    root.put("model", loaded.file().toString());
    root.put("opset", g.opset(""));
    root.put("inputs", g.inputs().stream().map(GraphJson::valueJson).toList());
    root.put("outputs", g.outputs().stream().map(GraphJson::valueJson).toList());
    root.put("ops_before", loaded.imported().opCounts());
    root.put("ops_after", g.opCounts());
    root.put("assumptions", g.assertions().stream().map(ShapeAssertion::toString).toList());
    List<Object> nodes = new ArrayList<>();
    for (Node node : g.nodes()) {
      Map<String, Object> n = new LinkedHashMap<>();
      n.put("name", node.name());
      n.put("op", node.qualifiedOpType());
      n.put("inputs", node.inputs());
      n.put(
          "outputs",
          node.outputs().stream()
              .filter(o -> !o.isEmpty())
              .map(o -> valueJson(o, g.type(o)))
              .toList());
      nodes.add(n);
    }
    root.put("nodes", nodes);
    return root;
  }

  private static Map<String, Object> valueJson(ValueInfo v) {
    return valueJson(v.name(), Optional.of(v.type()));
  }

  /** A value whose type is known only at run time has dtype and shape null. */
  private static Map<String, Object> valueJson(String name, Optional<TensorType> type) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("name", name);
    m.put("dtype", type.map(t -> t.dtype().displayName()).orElse(null));
    m.put(
        "shape", type.map(t -> t.shape().dims().stream().map(Dim::toString).toList()).orElse(null));
    return m;
  }
}
