package oclc.lowering.passes;

import static oclc.lowering.passes.DecomposedLayerNorm.constant;
import static oclc.lowering.passes.DecomposedLayerNorm.is;
import static oclc.lowering.passes.DecomposedLayerNorm.lastAxisMean;
import static oclc.lowering.passes.DecomposedLayerNorm.lastAxisNormalization;
import static oclc.lowering.passes.DecomposedLayerNorm.other;
import static oclc.lowering.passes.DecomposedLayerNorm.rowParameter;
import static oclc.lowering.passes.DecomposedLayerNorm.scalarOperand;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import oclc.ir.Graph;
import oclc.ir.Node;
import oclc.lowering.SmallExponent;

/**
 * A pattern {@link FuseDecomposedNorms} rewrites: RMSNorm as Llama-architecture exports write it,
 * over the last axis: {@code s = x²} (Pow by 2, or x·x), {@code m = ReduceMean(s)}, {@code r =
 * Sqrt(m + eps)}, then {@code x · (1 / r)} or {@code x · Reciprocal(r)}, and last the product with
 * the weight γ; as one RMSNormalization node (opset 23, the same arithmetic). It matches only where
 * every value between x and the result is read inside the pattern. ({@code x / r} is left out: it
 * is also the tail of a decomposed LayerNorm whose deviation is read outside, which stays as it
 * is.)
 */
final class DecomposedRmsNorm {
  private DecomposedRmsNorm() {}

  /** The pattern starting at {@code square}; a shape known only at run time throws. */
  static Optional<DecomposedLayerNorm.Match> match(
      Node square, DecomposedLayerNorm.Readers around, Graph graph) {
    Optional<String> x = squared(square, graph);
    if (x.isEmpty()) {
      return Optional.empty();
    }
    List<Node> nodes = new ArrayList<>(List.of(square));
    Optional<Node> mean = around.soleReader(output(square)).filter(n -> lastAxisMean(n, graph));
    Optional<Node> plusEpsilon =
        mean.flatMap(n -> around.soleReader(output(n))).filter(n -> is(n, "Add"));
    Optional<Float> epsilon = plusEpsilon.flatMap(n -> scalarOperand(n, output(mean.get()), graph));
    Optional<Node> root =
        plusEpsilon.flatMap(n -> around.soleReader(output(n))).filter(n -> is(n, "Sqrt"));
    if (epsilon.isEmpty() || root.isEmpty()) {
      return Optional.empty();
    }
    nodes.addAll(List.of(mean.get(), plusEpsilon.get(), root.get()));
    Optional<Node> normalized = normalized(x.get(), root.get(), around, graph, nodes);
    Optional<Node> scale =
        normalized.flatMap(n -> around.soleReader(output(n))).filter(n -> is(n, "Mul"));
    Optional<String> gamma = scale.flatMap(n -> other(n, output(normalized.get())));
    if (gamma.isEmpty() || !rowParameter(gamma.get(), x.get(), graph)) {
      return Optional.empty();
    }
    nodes.add(scale.get());
    Node rmsNormalization =
        lastAxisNormalization(
            square.name(),
            "RMSNormalization",
            List.of(x.get(), gamma.get()),
            output(scale.get()),
            epsilon.get());
    return Optional.of(new DecomposedLayerNorm.Match(List.copyOf(nodes), rmsNormalization));
  }

  /** The x a node squares: {@code Pow(x, 2)} or {@code Mul(x, x)}. */
  private static Optional<String> squared(Node node, Graph graph) {
    if (is(node, "Pow")
        && SmallExponent.of(constant(graph, node.inputs().get(1))).equals(Optional.of(2))) {
      return Optional.of(node.inputs().getFirst());
    }
    if (is(node, "Mul")
        && node.inputs().size() == 2
        && node.inputs().get(0).equals(node.inputs().get(1))) {
      return Optional.of(node.inputs().getFirst());
    }
    return Optional.empty();
  }

  /**
   * The node computing {@code x / root} as x times 1 / root or Reciprocal(root), with the nodes
   * between added to {@code nodes}.
   */
  private static Optional<Node> normalized(
      String x, Node root, DecomposedLayerNorm.Readers around, Graph graph, List<Node> nodes) {
    Optional<Node> next = around.soleReader(output(root));
    if (next.isEmpty()) {
      return Optional.empty();
    }
    Node reader = next.get();
    boolean inverse =
        is(reader, "Reciprocal")
            || (is(reader, "Div")
                && reader.inputs().get(1).equals(output(root))
                && constant(graph, reader.inputs().getFirst())
                    .filter(t -> t.dtype().isFloat() && t.size() == 1 && t.getDouble(0) == 1)
                    .isPresent());
    if (!inverse) {
      return Optional.empty();
    }
    Optional<Node> product =
        around
            .soleReader(output(reader))
            .filter(n -> is(n, "Mul") && other(n, output(reader)).equals(Optional.of(x)));
    product.ifPresent(p -> nodes.addAll(List.of(reader, p)));
    return product;
  }

  private static String output(Node node) {
    return node.outputs().getFirst();
  }
}
