package oclc.ir.exec;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import oclc.ir.Constant;
import oclc.ir.DType;
import oclc.ir.Dim;
import oclc.ir.EvaluationContext;
import oclc.ir.Graph;
import oclc.ir.Node;
import oclc.ir.OclcException;
import oclc.ir.OpDefinition;
import oclc.ir.OpRegistry;
import oclc.ir.Shape;
import oclc.ir.ShapeAssertion;
import oclc.ir.Tensor;
import oclc.ir.TensorType;
import oclc.ir.ValueInfo;

/**
 * Runs a graph node by node with each op's reference evaluation: the oracle every backend is
 * checked against. It also checks, after every node, that the actual output shape is the one shape
 * inference promised, so that a wrong symbolic shape cannot go unnoticed.
 */
public final class ReferenceExecutor {

  /** Sees every node's outputs as they are computed (layer-by-layer comparisons). */
  public interface NodeListener {
    void computed(Node node, List<Tensor> outputs);
  }

  private final OpRegistry registry;

  public ReferenceExecutor() {
    this(OpRegistry.standard());
  }

  public ReferenceExecutor(OpRegistry registry) {
    this.registry = registry;
  }

  public Map<String, Tensor> run(Graph graph, Map<String, Tensor> inputs) {
    return run(graph, inputs, (node, outputs) -> {});
  }

  public Map<String, Tensor> run(Graph graph, Map<String, Tensor> inputs, NodeListener listener) {
    SymbolBindings symbols = bindInputs(graph, inputs);
    Map<String, Tensor> values = new HashMap<>();
    graph.inputs().forEach(in -> values.put(in.name(), inputs.get(in.name())));
    graph
        .constants()
        .forEach(
            (name, c) ->
                values.put(
                    name,
                    switch (c) {
                      case Constant.Data d -> d.tensor();
                      case Constant.Symbolic s -> s.tensor().evaluate(symbols);
                    }));
    Map<String, Integer> lastUse = lastUses(graph);

    List<Node> nodes = graph.nodes();
    for (int index = 0; index < nodes.size(); index++) {
      Node node = nodes.get(index);
      OpDefinition op =
          registry.find(node).orElseThrow(() -> new OclcException(node + ": op is not supported"));
      List<Tensor> args = new ArrayList<>();
      for (String input : node.inputs()) {
        args.add(input.isEmpty() ? null : values.get(input));
      }
      List<Tensor> results;
      try {
        results = op.evaluate(new EvaluationContext(node, graph.opset(node.domain()), args));
      } catch (OclcException e) {
        throw e;
      } catch (RuntimeException e) {
        throw new OclcException(node + ": evaluation failed: " + e, e);
      }
      for (int i = 0; i < node.outputs().size(); i++) {
        String output = node.outputs().get(i);
        if (output.isEmpty()) {
          continue;
        }
        if (i >= results.size()) {
          throw new OclcException(node + ": produced no value for output '" + output + "'");
        }
        checkInferred(graph.valueTypes().get(output), results.get(i), symbols, node, output);
        values.put(output, results.get(i));
      }
      listener.computed(node, results);
      for (String input : node.inputs()) {
        if (lastUse.getOrDefault(input, -1) == index) {
          values.remove(input);
        }
      }
    }
    Map<String, Tensor> outputs = new LinkedHashMap<>();
    for (ValueInfo out : graph.outputs()) {
      outputs.put(out.name(), values.get(out.name()));
    }
    return outputs;
  }

  /** The element type and sizes of a bound input: all that binding checks. */
  public record BoundShape(DType dtype, long[] shape) {
    public static BoundShape of(Tensor t) {
      return new BoundShape(t.dtype(), t.shape());
    }
  }

  /** Checks dtypes and ranks, learns the symbols from the input shapes, checks the assertions. */
  public static SymbolBindings bindInputs(Graph graph, Map<String, Tensor> inputs) {
    Map<String, BoundShape> shapes = new LinkedHashMap<>();
    inputs.forEach((name, t) -> shapes.put(name, t == null ? null : BoundShape.of(t)));
    return bindShapes(graph, shapes);
  }

  /** {@link #bindInputs} for inputs known by their shapes only (a KV cache already on a device). */
  public static SymbolBindings bindShapes(Graph graph, Map<String, BoundShape> inputs) {
    SymbolBindings symbols = new SymbolBindings();
    for (ValueInfo in : graph.inputs()) {
      BoundShape t = inputs.get(in.name());
      if (t == null) {
        throw new InputShapeException(
            "input '" + in.name() + "' is missing; the model expects " + describe(in.type()));
      }
      if (t.dtype() != in.dtype() || t.shape().length != in.shape().rank()) {
        throw mismatch(in, t);
      }
    }
    // Bare symbols first, then every dim against the now-known symbols.
    for (int pass = 0; pass < 2; pass++) {
      for (ValueInfo in : graph.inputs()) {
        BoundShape t = inputs.get(in.name());
        for (int axis = 0; axis < t.shape().length; axis++) {
          Dim expected = in.shape().dim(axis);
          if (!symbols.unify(expected, t.shape()[axis])
              || (pass == 1 && !symbols.isBound(expected))) {
            throw mismatch(in, t);
          }
        }
      }
    }
    for (String name : inputs.keySet()) {
      if (graph.inputs().stream().noneMatch(in -> in.name().equals(name))) {
        throw new InputShapeException(
            "the model has no input named '"
                + name
                + "'; its inputs are "
                + graph.inputs().stream().map(ValueInfo::name).toList());
      }
    }
    for (ShapeAssertion a : graph.assertions()) {
      long value = a.lessOrEqual().evaluate(symbols);
      long bound = a.bound().evaluate(symbols);
      if (a.equality() && value != bound) {
        throw new InputShapeException(
            "the inputs give "
                + sizes(graph, a.lessOrEqual(), symbols)
                + ", but the model needs it equal to "
                + sizes(graph, a.bound(), symbols)
                + " ("
                + a.reason()
                + ")");
      }
      if (!a.equality() && value > bound) {
        throw new InputShapeException(
            "the inputs give "
                + a.lessOrEqual()
                + " = "
                + value
                + ", but the model allows at most "
                + bound
                + " ("
                + a.reason()
                + ")");
      }
    }
    return symbols;
  }

  /**
   * A dim and its value, and where each of its symbols comes from: {@code total_sequence_length = 5
   * (attention_mask dim 1)}, {@code past_sequence_length + sequence_length = 4
   * (past_sequence_length = 3 from past_key_values.0.key dim 2, sequence_length = 1 from input_ids
   * dim 1)}.
   */
  private static String sizes(Graph graph, Dim dim, SymbolBindings symbols) {
    String value = dim + " = " + dim.evaluate(symbols);
    var single = dim.asSymbol();
    if (single.isPresent()) {
      return value + source(graph, single.get()).map(s -> " (" + s + ")").orElse("");
    }
    List<String> parts = new ArrayList<>();
    for (String s : dim.symbols()) {
      parts.add(
          Dim.symbol(s)
              + " = "
              + symbols.applyAsLong(s)
              + source(graph, s).map(where -> " from " + where).orElse(""));
    }
    return parts.isEmpty() ? value : value + " (" + String.join(", ", parts) + ")";
  }

  /** The first input axis whose dim is the bare symbol: {@code attention_mask dim 1}. */
  private static java.util.Optional<String> source(Graph graph, String symbol) {
    for (ValueInfo in : graph.inputs()) {
      for (int axis = 0; axis < in.shape().rank(); axis++) {
        if (in.shape().dim(axis).asSymbol().filter(symbol::equals).isPresent()) {
          return java.util.Optional.of(in.name() + " dim " + axis);
        }
      }
    }
    return java.util.Optional.empty();
  }

  private static InputShapeException mismatch(ValueInfo in, BoundShape t) {
    return new InputShapeException(
        "input '"
            + in.name()
            + "' is "
            + t.dtype()
            + Arrays.toString(t.shape())
            + ", but the model expects "
            + describe(in.type()));
  }

  private static String describe(TensorType type) {
    return type.dtype() + type.shape().toString();
  }

  private static void checkInferred(
      TensorType inferred, Tensor actual, SymbolBindings symbols, Node node, String output) {
    if (inferred == null) {
      return; // folded into a constant by the passes, or a graph without inference
    }
    Shape shape = inferred.shape();
    boolean ok = inferred.dtype() == actual.dtype() && shape.rank() == actual.rank();
    for (int axis = 0; ok && axis < shape.rank(); axis++) {
      ok = symbols.unify(shape.dim(axis), actual.dim(axis));
    }
    if (!ok) {
      throw new OclcException(
          node
              + ": output '"
              + output
              + "' is "
              + actual.dtype()
              + Arrays.toString(actual.shape())
              + " but shape inference gave "
              + describe(inferred)
              + " with "
              + symbols
              + " (a bug in the op's definition)");
    }
  }

  private static Map<String, Integer> lastUses(Graph graph) {
    Map<String, Integer> lastUse = new HashMap<>();
    for (int i = 0; i < graph.nodes().size(); i++) {
      for (String input : graph.nodes().get(i).inputs()) {
        lastUse.put(input, i);
      }
    }
    graph.outputs().forEach(o -> lastUse.remove(o.name()));
    return lastUse;
  }
}
