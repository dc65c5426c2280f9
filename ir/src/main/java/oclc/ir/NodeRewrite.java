package oclc.ir;

import java.util.List;

/**
 * The nodes and constants that replace one node of a typed graph, as a {@link Decomposable} builds
 * them. New values and nodes are named after the replaced node ({@code <node>/<role>}), unique in
 * the graph.
 */
public interface NodeRewrite {

  /** The replaced node's input types, attributes and compile-time inputs, as inference saw them. */
  InferenceContext context();

  /** The name of the replaced node's input {@code index}; "" where it is absent. */
  default String input(int index) {
    var inputs = context().node().inputs();
    return index < inputs.size() ? inputs.get(index) : "";
  }

  /** The name of the replaced node's output {@code index}; "" where it is absent. */
  default String output(int index) {
    var outputs = context().node().outputs();
    return index < outputs.size() ? outputs.get(index) : "";
  }

  /** A constant named {@code <node>/<role>}, shared by every use of the same role and value. */
  String constant(String role, Tensor value);

  /** A new default-domain node {@code <node>/<role>}; returns its one output, a new value. */
  String add(String role, String opType, Attributes attributes, String... inputs);

  default String add(String role, String opType, String... inputs) {
    return add(role, opType, Attributes.NONE, inputs);
  }

  /**
   * As {@link #add}, but writing {@code output}, one of the replaced node's outputs, when it is
   * non-empty, so that the graph's readers of that output read the new node.
   */
  String addAs(String output, String role, String opType, Attributes attributes, String... inputs);

  /**
   * A new default-domain node {@code <node>/<role>} of several outputs, writing {@code outputs}:
   * names of the replaced node's outputs, or "" for an optional output left absent.
   */
  void addAs(
      List<String> outputs, String role, String opType, Attributes attributes, String... inputs);
}
