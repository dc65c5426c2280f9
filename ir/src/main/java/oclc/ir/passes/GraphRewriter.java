package oclc.ir.passes;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import oclc.ir.Attribute;
import oclc.ir.Attributes;
import oclc.ir.Constant;
import oclc.ir.Graph;
import oclc.ir.InferenceContext;
import oclc.ir.Node;
import oclc.ir.NodeRewrite;
import oclc.ir.Tensor;
import oclc.ir.ValueInfo;

/**
 * Builds the nodes and constants that replace a node of a graph. New values and nodes are named
 * after the replaced node ({@code <node>/<role>}), made unique against every name of the graph.
 */
final class GraphRewriter {
  private final Set<String> taken = new HashSet<>();
  private final Map<String, Constant> constants;

  GraphRewriter(Graph graph) {
    constants = new LinkedHashMap<>(graph.constants());
    taken.addAll(constants.keySet());
    graph.inputs().stream().map(ValueInfo::name).forEach(taken::add);
    graph.outputs().stream().map(ValueInfo::name).forEach(taken::add);
    for (Node node : graph.nodes()) {
      taken.add(node.name());
      taken.addAll(node.inputs());
      taken.addAll(node.outputs());
    }
  }

  /** The graph's constants and the ones made since. */
  Map<String, Constant> constants() {
    return constants;
  }

  /** A scope whose nodes will stand in for {@code node}. */
  Scope replacing(Node node) {
    return new Scope(node);
  }

  /** A scope whose nodes will stand in for {@code node} of the typed {@code graph}. */
  Scope replacing(Graph graph, Node node) {
    return new Scope(node, InferenceContext.of(graph, node));
  }

  private String fresh(String base) {
    String name = base;
    for (int i = 1; !taken.add(name); i++) {
      name = base + "_" + i;
    }
    return name;
  }

  /**
   * The nodes that replace one node, in order; discarded unless the caller takes {@link #nodes()}.
   */
  final class Scope implements NodeRewrite {
    private final Node replaced;
    private final InferenceContext context;
    private final List<Node> nodes = new ArrayList<>();
    private final Map<String, String> madeConstants = new LinkedHashMap<>();

    private Scope(Node replaced) {
      this(replaced, null);
    }

    private Scope(Node replaced, InferenceContext context) {
      this.replaced = replaced;
      this.context = context;
    }

    @Override
    public InferenceContext context() {
      if (context == null) {
        throw new IllegalStateException("a scope made without its graph has no context");
      }
      return context;
    }

    List<Node> nodes() {
      return List.copyOf(nodes);
    }

    /**
     * A constant named {@code <node>/<role>}: new, or the one this scope made for the same role and
     * value.
     */
    @Override
    public String constant(String role, Tensor value) {
      String key =
          role + " " + value.dtype() + java.util.Arrays.toString(value.shape()) + elements(value);
      return madeConstants.computeIfAbsent(
          key,
          k -> {
            String name = fresh(replaced.name() + "/" + role);
            constants.put(name, new Constant.Data(value));
            return name;
          });
    }

    /** A constant of dim expressions named {@code <node>/<role>}: a shape of symbolic sizes. */
    String symbolic(String role, oclc.ir.SymbolicTensor value) {
      String name = fresh(replaced.name() + "/" + role);
      constants.put(name, new Constant.Symbolic(value));
      return name;
    }

    /**
     * A new node {@code <node>/<role>} of the default domain; its output is a new value of the same
     * name.
     */
    @Override
    public String add(String role, String opType, Attributes attributes, String... inputs) {
      String name = fresh(replaced.name() + "/" + role);
      nodes.add(new Node(name, "", opType, List.of(inputs), List.of(name), attributes));
      return name;
    }

    /**
     * As {@link #add}, but writing an existing name of the replaced node's outputs when one is
     * given (non-empty), so that the graph's readers of that output read the new node.
     */
    @Override
    public String addAs(
        String output, String role, String opType, Attributes attributes, String... inputs) {
      if (output.isEmpty()) {
        return add(role, opType, attributes, inputs);
      }
      addAs(List.of(output), role, opType, attributes, inputs);
      return output;
    }

    @Override
    public void addAs(
        List<String> outputs, String role, String opType, Attributes attributes, String... inputs) {
      nodes.add(
          new Node(
              fresh(replaced.name() + "/" + role),
              "",
              opType,
              List.of(inputs),
              List.copyOf(outputs),
              attributes));
    }
  }

  private static String elements(Tensor t) {
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < t.size(); i++) {
      text.append(t.dtype().isBool() ? (t.getBool(i) ? "1" : "0") : String.valueOf(t.getDouble(i)))
          .append(',');
    }
    return text.toString();
  }

  static Attributes ints(String name, long... values) {
    return new Attributes(Map.of(name, new Attribute.Ints(values)));
  }

  static Attributes integer(String name, long value) {
    return new Attributes(Map.of(name, new Attribute.IntValue(value)));
  }
}
