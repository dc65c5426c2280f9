package oclc.ir;

import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * An immutable dataflow graph: inputs, outputs, nodes in topological order, compile-time constants
 * (weights and folded shape arithmetic), the known type of every value, the assumptions shape
 * inference made about the symbols, and the opset version per domain.
 */
public record Graph(
    String name,
    List<ValueInfo> inputs,
    List<ValueInfo> outputs,
    List<Node> nodes,
    Map<String, Constant> constants,
    Map<String, TensorType> valueTypes,
    List<ShapeAssertion> assertions,
    Map<String, Long> opsets) {

  public Graph {
    inputs = List.copyOf(inputs);
    outputs = List.copyOf(outputs);
    nodes = List.copyOf(nodes);
    constants = Collections.unmodifiableMap(new LinkedHashMap<>(constants));
    valueTypes = Collections.unmodifiableMap(new LinkedHashMap<>(valueTypes));
    assertions = List.copyOf(assertions);
    opsets = Collections.unmodifiableMap(new LinkedHashMap<>(opsets));
  }

  /** The opset version imported for a domain ("" and "ai.onnx" are the same), 1 if none. */
  public long opset(String domain) {
    String d = domain.equals("ai.onnx") ? "" : domain;
    Long v = opsets.get(d);
    if (v == null && d.isEmpty()) {
      v = opsets.get("ai.onnx");
    }
    return v == null ? 1 : v;
  }

  /** The type of any value: graph input, constant, or inferred intermediate. */
  public Optional<TensorType> type(String value) {
    for (ValueInfo in : inputs) {
      if (in.name().equals(value)) {
        return Optional.of(in.type());
      }
    }
    Constant c = constants.get(value);
    if (c != null) {
      return Optional.of(c.type());
    }
    return Optional.ofNullable(valueTypes.get(value));
  }

  /** Value name → the node that produces it. */
  public Map<String, Node> producers() {
    Map<String, Node> producers = new HashMap<>();
    for (Node n : nodes) {
      for (String out : n.outputs()) {
        if (!out.isEmpty()) {
          producers.put(out, n);
        }
      }
    }
    return producers;
  }

  /** Op type → number of nodes, in first-seen order. */
  public Map<String, Integer> opCounts() {
    Map<String, Integer> counts = new LinkedHashMap<>();
    for (Node n : nodes) {
      counts.merge(n.qualifiedOpType(), 1, Integer::sum);
    }
    return counts;
  }

  public Graph withNodes(List<Node> newNodes) {
    return new Graph(name, inputs, outputs, newNodes, constants, valueTypes, assertions, opsets);
  }

  public Graph with(
      List<Node> newNodes,
      Map<String, Constant> newConstants,
      Map<String, TensorType> newValueTypes,
      List<ShapeAssertion> newAssertions) {
    return new Graph(
        name, inputs, outputs, newNodes, newConstants, newValueTypes, newAssertions, opsets);
  }
}
