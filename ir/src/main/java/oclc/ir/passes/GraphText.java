package oclc.ir.passes;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import oclc.ir.Attribute;
import oclc.ir.Attributes;
import oclc.ir.Graph;
import oclc.ir.Node;
import oclc.ir.TensorType;
import oclc.ir.ValueInfo;

/**
 * A graph's printed text, one line per input, constant, node and output, that reads like the
 * program: {@code node 'NAME' = Op(inputs) {attributes} -> output: type}. Attributes print sorted
 * by name; constants print their type only. What the pass golden tests compare before and after
 * each pass.
 */
public final class GraphText {
  private GraphText() {}

  public static String of(Graph graph) {
    StringBuilder text = new StringBuilder();
    text.append("graph '").append(graph.name()).append("'\n");
    for (ValueInfo in : graph.inputs()) {
      text.append("input ").append(in.name()).append(": ").append(in.type()).append('\n');
    }
    graph
        .constants()
        .forEach(
            (name, constant) ->
                text.append("constant ")
                    .append(name)
                    .append(": ")
                    .append(constant.type())
                    .append('\n'));
    for (Node node : graph.nodes()) {
      text.append(node(node, graph)).append('\n');
    }
    for (ValueInfo out : graph.outputs()) {
      text.append("output ").append(out.name()).append('\n');
    }
    return text.toString();
  }

  /** One node's line. */
  public static String node(Node node, Graph graph) {
    String attributes = attributes(node.attributes());
    return "node '"
        + node.name()
        + "' = "
        + node.qualifiedOpType()
        + "("
        + String.join(", ", node.inputs())
        + ")"
        + (attributes.isEmpty() ? "" : " {" + attributes + "}")
        + " -> "
        + node.outputs().stream()
            .map(
                o ->
                    o.isEmpty()
                        ? "_"
                        : o + ": " + graph.type(o).map(TensorType::toString).orElse("?"))
            .collect(Collectors.joining(", "));
  }

  /** Attributes as {@code name: value, ...}, sorted by name. */
  public static String attributes(Attributes attributes) {
    List<String> parts = new ArrayList<>();
    new TreeMap<>(attributes.byName())
        .forEach((name, value) -> parts.add(name + ": " + value(value)));
    return String.join(", ", parts);
  }

  /** Only the attributes whose name starts with {@code prefix}, as {@link #attributes}. */
  public static String attributes(Attributes attributes, String prefix) {
    Map<String, Attribute> kept = new TreeMap<>();
    attributes
        .byName()
        .forEach(
            (name, value) -> {
              if (name.startsWith(prefix)) {
                kept.put(name, value);
              }
            });
    return attributes(new Attributes(kept));
  }

  private static String value(Attribute attribute) {
    return switch (attribute) {
      case Attribute.FloatValue(float v) -> String.valueOf(v);
      case Attribute.IntValue(long v) -> String.valueOf(v);
      case Attribute.StringValue(String v) -> "'" + v + "'";
      case Attribute.Strings(List<String> v) ->
          v.stream().map(s -> "'" + s + "'").collect(Collectors.joining(", ", "[", "]"));
      case Attribute.Ints ints -> ints.toString();
      case Attribute.Floats floats -> floats.toString();
      case Attribute.TensorValue(var t) ->
          "tensor " + t.dtype() + java.util.Arrays.toString(t.shape());
      case Attribute.TypeValue(TensorType t) -> t.toString();
      case Attribute.Tensors(var t) -> t.size() + " tensors";
      case Attribute.GraphValue g -> "graph";
      case Attribute.Graphs(var g) -> g.size() + " graphs";
      case Attribute.TypeValues(var t) -> t.toString();
    };
  }
}
