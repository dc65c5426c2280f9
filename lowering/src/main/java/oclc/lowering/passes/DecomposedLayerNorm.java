package oclc.lowering.passes;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import oclc.ir.Attribute;
import oclc.ir.Attributes;
import oclc.ir.Constant;
import oclc.ir.DType;
import oclc.ir.Dim;
import oclc.ir.Graph;
import oclc.ir.Node;
import oclc.ir.Tensor;
import oclc.ir.ValueInfo;
import oclc.lowering.SmallExponent;

/**
 * A pattern {@link FuseDecomposedNorms} rewrites: LayerNorm as PyTorch's exporter writes it before
 * opset 17, nine nodes over the last axis ({@code m = ReduceMean(x); d = x - m; v = ReduceMean(d²);
 * y = d / Sqrt(v + eps) · γ + β}), as one LayerNormalization node (the same arithmetic, which the
 * row kernels compute with rsqrt). It matches only where every value between x and y is read inside
 * the pattern. The helpers are shared with {@link DecomposedRmsNorm}.
 */
final class DecomposedLayerNorm {
  private DecomposedLayerNorm() {}

  /** The graph's nodes around a candidate, as the pass knows them. */
  @FunctionalInterface
  interface Readers {
    /** Every node reading {@code value}, when it is no graph output. */
    Optional<List<Node>> readers(String value);

    /**
     * The only node reading {@code value}, when exactly one node reads it and it is no graph
     * output.
     */
    default Optional<Node> soleReader(String value) {
      return readers(value).filter(r -> r.size() == 1).map(List::getFirst);
    }

    /** The readers of every value of {@code graph}. */
    static Readers of(Graph graph) {
      Map<String, List<Node>> readers = new HashMap<>();
      for (Node node : graph.nodes()) {
        for (String input : new LinkedHashSet<>(node.inputs())) {
          readers.computeIfAbsent(input, k -> new ArrayList<>()).add(node);
        }
      }
      Set<String> graphOutputs =
          graph.outputs().stream().map(ValueInfo::name).collect(Collectors.toSet());
      return value ->
          graphOutputs.contains(value)
              ? Optional.empty()
              : Optional.of(readers.getOrDefault(value, List.of()));
    }
  }

  /**
   * The nodes, in graph order, and the LayerNormalization node that computes them (named after the
   * first).
   */
  record Match(List<Node> nodes, Node replacement) {}

  /**
   * The pattern starting at {@code mean}; a value whose shape is known only at run time throws
   * IllegalArgumentException (the nodes then stay as they are).
   */
  static Optional<Match> match(Node mean, Readers around, Graph graph) {
    if (!lastAxisMean(mean, graph)) {
      return Optional.empty();
    }
    String x = mean.inputs().getFirst();
    Optional<Node> sub =
        around
            .soleReader(mean.outputs().getFirst())
            .filter(n -> is(n, "Sub") && n.inputs().equals(List.of(x, mean.outputs().getFirst())));
    if (sub.isEmpty()) {
      return Optional.empty();
    }
    String deviation = sub.get().outputs().getFirst();
    Optional<List<Node>> deviationReaders = around.readers(deviation);
    if (deviationReaders.isEmpty() || deviationReaders.get().size() != 2) {
      return Optional.empty();
    }
    Optional<Node> square =
        deviationReaders.get().stream()
            .filter(
                n ->
                    is(n, "Pow")
                        && n.inputs().getFirst().equals(deviation)
                        && SmallExponent.of(constant(graph, n.inputs().get(1)))
                            .equals(Optional.of(2)))
            .findFirst();
    Optional<Node> divide =
        deviationReaders.get().stream()
            .filter(n -> is(n, "Div") && n.inputs().getFirst().equals(deviation))
            .findFirst();
    if (square.isEmpty() || divide.isEmpty()) {
      return Optional.empty();
    }
    Optional<Node> variance =
        around.soleReader(square.get().outputs().getFirst()).filter(n -> lastAxisMean(n, graph));
    Optional<Node> plusEpsilon =
        variance.flatMap(v -> around.soleReader(v.outputs().getFirst())).filter(n -> is(n, "Add"));
    Optional<Float> epsilon =
        plusEpsilon.flatMap(n -> scalarOperand(n, variance.get().outputs().getFirst(), graph));
    Optional<Node> root =
        plusEpsilon
            .flatMap(n -> around.soleReader(n.outputs().getFirst()))
            .filter(n -> is(n, "Sqrt"));
    if (epsilon.isEmpty()
        || root.isEmpty()
        || !divide.get().inputs().get(1).equals(root.get().outputs().getFirst())
        || around
            .soleReader(root.get().outputs().getFirst())
            .filter(n -> n == divide.get())
            .isEmpty()) {
      return Optional.empty();
    }
    Optional<Node> scale =
        around.soleReader(divide.get().outputs().getFirst()).filter(n -> is(n, "Mul"));
    Optional<String> gamma = scale.flatMap(n -> other(n, divide.get().outputs().getFirst()));
    Optional<Node> shift =
        scale.flatMap(n -> around.soleReader(n.outputs().getFirst())).filter(n -> is(n, "Add"));
    Optional<String> beta = shift.flatMap(n -> other(n, scale.get().outputs().getFirst()));
    if (gamma.isEmpty()
        || beta.isEmpty()
        || !rowParameter(gamma.get(), x, graph)
        || !rowParameter(beta.get(), x, graph)) {
      return Optional.empty();
    }
    Node layerNormalization =
        lastAxisNormalization(
            mean.name(),
            "LayerNormalization",
            List.of(x, gamma.get(), beta.get()),
            shift.get().outputs().getFirst(),
            epsilon.get());
    return Optional.of(
        new Match(
            List.of(
                mean,
                sub.get(),
                square.get(),
                variance.get(),
                plusEpsilon.get(),
                root.get(),
                divide.get(),
                scale.get(),
                shift.get()),
            layerNormalization));
  }

  /**
   * The fused node a pattern becomes: {@code opType} over the last axis with the pattern's epsilon,
   * named after the pattern's first node.
   */
  static Node lastAxisNormalization(
      String name, String opType, List<String> inputs, String output, float epsilon) {
    return new Node(
        name,
        "",
        opType,
        inputs,
        List.of(output),
        new Attributes(
            Map.of(
                "axis", new Attribute.IntValue(-1), "epsilon", new Attribute.FloatValue(epsilon))));
  }

  static boolean is(Node node, String opType) {
    return node.opType().equals(opType)
        && (node.domain().isEmpty() || node.domain().equals("ai.onnx"))
        && node.outputs().size() == 1;
  }

  /**
   * The element types a fused norm takes: float32, and float16 (a half export's norm, which the row
   * kernels compute in float32 as LayerNormalization's stash_type says, rounding once).
   */
  static boolean normalized(DType type) {
    return type == DType.FLOAT32 || type == DType.FLOAT16;
  }

  /**
   * A float32 or float16 ReduceMean over the last axis only, keeping it (axes as the attribute, or
   * a constant input).
   */
  static boolean lastAxisMean(Node node, Graph graph) {
    if (!is(node, "ReduceMean")
        || node.attributes().getInt("keepdims", 1) != 1
        || graph.type(node.inputs().getFirst()).map(t -> !normalized(t.dtype())).orElse(true)) {
      return false;
    }
    long rank = shape(graph, node.inputs().getFirst()).size();
    long[] axes;
    if (node.inputs().size() > 1 && !node.inputs().get(1).isEmpty()) {
      Optional<Tensor> given = constant(graph, node.inputs().get(1));
      if (given.isEmpty() || given.get().size() != 1) {
        return false;
      }
      axes = new long[] {given.get().getLong(0)};
    } else if (node.attributes().has("axes")) {
      axes = node.attributes().getInts("axes");
    } else {
      return false;
    }
    return axes.length == 1 && (axes[0] == -1 || axes[0] == rank - 1);
  }

  /** The float constant of one element that a binary node adds to {@code value}. */
  static Optional<Float> scalarOperand(Node node, String value, Graph graph) {
    return other(node, value)
        .flatMap(v -> constant(graph, v))
        .filter(t -> normalized(t.dtype()) && t.size() == 1)
        .map(t -> t.getFloat(0));
  }

  /** A binary node's operand that is not {@code value}. */
  static Optional<String> other(Node node, String value) {
    List<String> inputs = node.inputs();
    if (inputs.size() != 2) {
      return Optional.empty();
    }
    return inputs.get(0).equals(value)
        ? Optional.of(inputs.get(1))
        : inputs.get(1).equals(value) ? Optional.of(inputs.get(0)) : Optional.empty();
  }

  /**
   * A constant of x's type with one value per element of x's rows (LayerNormalization's scale or
   * shift).
   */
  static boolean rowParameter(String value, String x, Graph graph) {
    Optional<Tensor> constant = constant(graph, value);
    return constant.isPresent()
        && graph.type(x).map(t -> t.dtype() == constant.get().dtype()).orElse(false)
        && constant.get().rank() == 1
        && shape(graph, x).getLast().isConstant()
        && constant.get().size() == shape(graph, x).getLast().constant();
  }

  static List<Dim> shape(Graph graph, String value) {
    return graph
        .type(value)
        .orElseThrow(
            () ->
                new IllegalArgumentException(
                    "the shape of '" + value + "' is known only at run time"))
        .shape()
        .dims();
  }

  static Optional<Tensor> constant(Graph graph, String value) {
    return graph.constants().get(value) instanceof Constant.Data(Tensor t)
        ? Optional.of(t)
        : Optional.empty();
  }
}
