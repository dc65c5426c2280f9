package oclc.ir.passes;

import java.util.List;
import java.util.Optional;

/** The passes in the order the compiler runs them, with the graph verified after each. */
public final class Passes {
  private Passes() {}

  /** In order: infer every type and fold what is known at compile time, then drop dead code. */
  public static final List<Pass> STANDARD = List.of(new InferAndFold(), new EliminateDeadCode());

  public static oclc.ir.Graph runStandard(oclc.ir.Graph graph) {
    oclc.ir.Graph current = graph;
    for (Pass pass : STANDARD) {
      current = pass.apply(current);
      GraphVerifier.verify(current, "after pass '" + pass.name() + "'");
    }
    return current;
  }

  public static Optional<Pass> named(String name) {
    return STANDARD.stream().filter(p -> p.name().equals(name)).findFirst();
  }
}
