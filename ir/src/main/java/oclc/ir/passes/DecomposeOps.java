package oclc.ir.passes;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import oclc.ir.Decomposable;
import oclc.ir.Graph;
import oclc.ir.Node;
import oclc.ir.OpRegistry;

/**
 * Rewrites each node whose op is {@link Decomposable} (ONNX Runtime's {@code com.microsoft} ops
 * among them) into the default-domain ops it is made of, so that the backends need kernels for
 * those ops only. A decomposition may use ops that decompose in turn: the pass repeats until no
 * node changes. The graph is typed again (by {@link InferAndFold}) after each round.
 */
public final class DecomposeOps implements Pass {
  /** More rounds than any nesting of decompositions oclc defines; a guard against a cycle. */
  private static final int MAX_ROUNDS = 8;

  private final OpRegistry registry;

  public DecomposeOps() {
    this(OpRegistry.standard());
  }

  public DecomposeOps(OpRegistry registry) {
    this.registry = registry;
  }

  @Override
  public String name() {
    return "decompose-ops";
  }

  @Override
  public Graph apply(Graph graph) {
    Graph current = graph;
    for (int round = 0; round < MAX_ROUNDS; round++) {
      Optional<Graph> rewritten = round(current);
      if (rewritten.isEmpty()) {
        return current;
      }
      current = new InferAndFold().apply(rewritten.get());
    }
    throw new IllegalStateException(
        "decompositions still rewrite nodes after " + MAX_ROUNDS + " rounds: a cycle");
  }

  /** One rewrite of every decomposable node; empty when none could be rewritten. */
  private Optional<Graph> round(Graph graph) {
    if (graph.nodes().stream().noneMatch(node -> decomposition(node).isPresent())) {
      return Optional.empty();
    }
    GraphRewriter rewriter = new GraphRewriter(graph);
    List<Node> nodes = new ArrayList<>();
    boolean changed = false;
    for (Node node : graph.nodes()) {
      Optional<Decomposable> decomposition = decomposition(node);
      GraphRewriter.Scope scope = rewriter.replacing(graph, node);
      if (decomposition.isPresent() && decomposition.get().decompose(scope)) {
        nodes.addAll(scope.nodes());
        changed = true;
      } else {
        nodes.add(node);
      }
    }
    return changed
        ? Optional.of(
            graph.with(nodes, rewriter.constants(), graph.valueTypes(), graph.assertions()))
        : Optional.empty();
  }

  private Optional<Decomposable> decomposition(Node node) {
    return registry.find(node).filter(Decomposable.class::isInstance).map(Decomposable.class::cast);
  }
}
