package oclc.ir.passes;

import java.util.List;
import oclc.ir.Graph;
import oclc.ir.OclcException;

/** The passes in the order the compiler runs them, with the graph verified after each. */
public final class Passes {
  private Passes() {}

  /**
   * In order: take the matrix products of quantized weights as MatMulNBits over their packed
   * values, before the folding would widen the weights to float32; infer every type and fold what
   * is known at compile time; rewrite the decomposable ops (ONNX Runtime's among them, some into
   * Attention) and then Attention into the ops they are made of (they need the inferred types, and
   * type their own nodes); take grouped-query products over the shared kv heads rather than their
   * repeat; drop dead code.
   */
  public static final List<Pass> STANDARD =
      List.of(
          new QuantizedMatMuls(),
          new InferAndFold(),
          new DecomposeOps(),
          new DecomposeAttention(),
          new FoldRepeatedKv(),
          new EliminateDeadCode());

  /** The name that stands for "no pass": the graph as imported. */
  public static final String IMPORT = "import";

  public static Graph runStandard(Graph graph) {
    return runUpTo(graph, STANDARD.getLast().name());
  }

  /** Runs the standard passes in order, stopping after {@code lastPass} ({@link #IMPORT}: none). */
  public static Graph runUpTo(Graph graph, String lastPass) {
    if (!lastPass.equals(IMPORT) && STANDARD.stream().noneMatch(p -> p.name().equals(lastPass))) {
      throw new OclcException(
          "no pass named '"
              + lastPass
              + "'; the passes are "
              + IMPORT
              + ", "
              + String.join(", ", STANDARD.stream().map(Pass::name).toList()));
    }
    Graph current = graph;
    for (Pass pass : STANDARD) {
      if (lastPass.equals(IMPORT)) {
        break;
      }
      current = pass.apply(current);
      GraphVerifier.verify(current, "after pass '" + pass.name() + "'");
      if (pass.name().equals(lastPass)) {
        break;
      }
    }
    return current;
  }
}
