package oclc.ir.passes;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import oclc.ir.DType;
import oclc.ir.Dim;
import oclc.ir.Graph;
import oclc.ir.Node;
import oclc.ir.Shape;
import oclc.ir.SymbolicTensor;

/**
 * Grouped-query attention without the copy of the shared heads. Hugging Face's {@code repeat_kv}
 * makes every key and value head {@code rep} times before the products — {@code Unsqueeze} at axis
 * 2, {@code Expand} along it, {@code Reshape} to the query's heads — which a backend would compute
 * as a copy of the whole KV cache each step. Where such a repeat (through a last-two-axes {@code
 * Transpose} for the keys) is the B of a 4-D {@code MatMul}, the product is taken over the kv heads
 * instead, each group's query heads folded into the rows of A:
 *
 * <pre>
 *   A [b, heads, s, k] → Reshape [b, kv heads, rep·s, k]
 *   B = X [b, kv heads, k, n] (X, or X's Transpose for the keys)
 *   MatMul → [b, kv heads, rep·s, n] → Reshape [b, heads, s, n]
 * </pre>
 *
 * Both Reshapes only regroup contiguous rows, so the result is the same elementwise. The repeat's
 * nodes are left to {@link EliminateDeadCode}, which drops them once nothing else reads them.
 */
public final class FoldRepeatedKv implements Pass {

  @Override
  public String name() {
    return "fold-repeated-kv";
  }

  /**
   * A MatMul of A ({@code a}, its shape) and B that repeats the kv heads {@code heads} ({@code
   * transposed}: through a Transpose) {@code groups} times; {@code columns}: the product's last
   * dim.
   */
  private record Repeat(
      String heads, boolean transposed, long kvHeads, long groups, Shape a, Dim columns) {}

  @Override
  public Graph apply(Graph graph) {
    Map<String, Node> producers = graph.producers();
    GraphRewriter rewriter = new GraphRewriter(graph);
    List<Node> nodes = new ArrayList<>();
    boolean changed = false;
    for (Node node : graph.nodes()) {
      Optional<Repeat> repeat =
          node.opType().equals("MatMul") && node.domain().isEmpty()
              ? repeat(graph, producers, node)
              : Optional.empty();
      if (repeat.isEmpty()) {
        nodes.add(node);
        continue;
      }
      nodes.addAll(fold(rewriter.replacing(node), node, repeat.get()));
      changed = true;
    }
    if (!changed) {
      return graph;
    }
    Graph rewritten =
        graph.with(nodes, rewriter.constants(), graph.valueTypes(), graph.assertions());
    return new InferAndFold().apply(rewritten);
  }

  private static List<Node> fold(GraphRewriter.Scope scope, Node matmul, Repeat repeat) {
    List<Dim> a = repeat.a().dims();
    Dim groups = Dim.of(repeat.groups());
    String rows =
        scope.add(
            "grouped_rows",
            "Reshape",
            matmul.inputs().get(0),
            shape(
                scope,
                "to_groups",
                a.get(0),
                Dim.of(repeat.kvHeads()),
                a.get(2).times(groups),
                a.get(3)));
    String b =
        repeat.transposed()
            ? scope.add(
                "kv_transposed",
                "Transpose",
                GraphRewriter.ints("perm", 0, 1, 3, 2),
                repeat.heads())
            : repeat.heads();
    String product = scope.add("grouped_product", "MatMul", rows, b);
    scope.addAs(
        matmul.outputs().get(0),
        "product_heads",
        "Reshape",
        oclc.ir.Attributes.NONE,
        product,
        shape(scope, "to_heads", a.get(0), a.get(1), a.get(2), repeat.columns()));
    return scope.nodes();
  }

  /** A Reshape's target of symbolic sizes (no -1: sizes over sums do not divide exactly). */
  private static String shape(GraphRewriter.Scope scope, String role, Dim... dims) {
    return scope.symbolic(role + "_shape", SymbolicTensor.vector(DType.INT64, List.of(dims)));
  }

  /**
   * B of {@code matmul} as a repeat of kv heads: [Transpose(0,1,3,2) of] Reshape [b, kv·rep, t, d]
   * of Expand [b, kv, rep, t, d] of Unsqueeze [b, kv, 1, t, d] of X [b, kv, t, d], and A of [b,
   * kv·rep, s, k]. The product then reads X; a repeat that something else reads stays for it.
   */
  private static Optional<Repeat> repeat(Graph graph, Map<String, Node> producers, Node matmul) {
    String b = matmul.inputs().get(1);
    Node node = producers.get(b);
    boolean transposed = false;
    if (is(node, "Transpose") && swapsLastTwo(node)) {
      transposed = true;
      b = node.inputs().get(0);
      node = producers.get(b);
    }
    Node reshape = node;
    Node expand = inputOf(producers, reshape, "Reshape");
    Node unsqueeze = inputOf(producers, expand, "Expand");
    if (!is(unsqueeze, "Unsqueeze")) {
      return Optional.empty();
    }
    String heads = unsqueeze.inputs().get(0);
    Optional<Shape> x = shapeOf(graph, heads);
    Optional<Shape> unsqueezed = shapeOf(graph, unsqueeze.outputs().get(0));
    Optional<Shape> expanded = shapeOf(graph, expand.outputs().get(0));
    Optional<Shape> merged = shapeOf(graph, reshape.outputs().get(0));
    Optional<Shape> a = shapeOf(graph, matmul.inputs().get(0));
    if (x.isEmpty()
        || unsqueezed.isEmpty()
        || expanded.isEmpty()
        || merged.isEmpty()
        || a.isEmpty()) {
      return Optional.empty();
    }
    if (x.get().rank() != 4
        || unsqueezed.get().rank() != 5
        || expanded.get().rank() != 5
        || merged.get().rank() != 4
        || a.get().rank() != 4) {
      return Optional.empty();
    }
    List<Dim> xd = x.get().dims();
    List<Dim> ud = unsqueezed.get().dims();
    List<Dim> ed = expanded.get().dims();
    List<Dim> md = merged.get().dims();
    Dim kv = xd.get(1);
    Dim groups = ed.get(2);
    if (!kv.isConstant() || !groups.isConstant() || groups.constant() < 2) {
      return Optional.empty();
    }
    Dim heads4 = Dim.of(kv.constant() * groups.constant());
    boolean repeatsAxisTwo =
        List.of(ud.get(0), ud.get(1), ud.get(3), ud.get(4)).equals(xd)
            && ud.get(2).equals(Dim.of(1))
            && List.of(ed.get(0), ed.get(1), ed.get(3), ed.get(4)).equals(xd)
            && md.equals(List.of(xd.get(0), heads4, xd.get(2), xd.get(3)))
            && a.get().dim(1).equals(heads4)
            && a.get().dim(0).equals(xd.get(0));
    if (!repeatsAxisTwo) {
      return Optional.empty();
    }
    Dim columns = transposed ? xd.get(2) : xd.get(3);
    return Optional.of(
        new Repeat(heads, transposed, kv.constant(), groups.constant(), a.get(), columns));
  }

  /** The producer of the first input of {@code node} when it is an {@code opType}; else null. */
  private static Node inputOf(Map<String, Node> producers, Node node, String opType) {
    return is(node, opType) ? producers.get(node.inputs().get(0)) : null;
  }

  private static boolean is(Node node, String opType) {
    return node != null && node.opType().equals(opType) && node.domain().isEmpty();
  }

  private static boolean swapsLastTwo(Node transpose) {
    return java.util.Arrays.equals(
        transpose.attributes().getInts("perm", new long[0]), new long[] {0, 1, 3, 2});
  }

  private static Optional<Shape> shapeOf(Graph graph, String value) {
    return graph.type(value).map(t -> t.shape());
  }
}
