package oclc.lowering.passes;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import oclc.ir.Graph;
import oclc.ir.OclcException;
import oclc.ir.passes.GraphVerifier;
import oclc.ir.passes.Pass;
import oclc.ir.passes.Passes;

/**
 * The one ordered list of passes a compile for a backend runs, each with its stable name ({@code
 * inspect --after NAME}) and the graph verified after each: ir's standard passes (what the
 * reference executor runs), then the lowering passes, whose decisions the code generators only
 * read: {@code fuse-decomposed-norms} and {@code fuse-decomposed-rotary} (rewrites), {@code
 * kv-cache-append} and {@code fusion-groups} (recorded as {@link
 * oclc.lowering.LoweringAttributes}). The rewrites go first so that the fusion plan sees the fused
 * nodes; the caches before the groups, which never fuse across an append.
 */
public final class LoweringPasses {
  private LoweringPasses() {}

  /** The lowering passes alone, in order. */
  public static List<Pass> lowering(LoweringOptions options) {
    return List.of(
        new FuseDecomposedNorms(options),
        new FuseDecomposedRotary(options),
        new AppendKvCaches(options),
        new FusionGroups(options));
  }

  /** The whole list: the standard passes, then the lowering ones. */
  public static List<Pass> all(LoweringOptions options) {
    List<Pass> all = new ArrayList<>(Passes.STANDARD);
    all.addAll(lowering(options));
    return List.copyOf(all);
  }

  /** Every name {@code inspect --after} takes, in order: "import" (no pass), then the list's. */
  public static List<String> names() {
    List<String> names = new ArrayList<>(List.of(Passes.IMPORT));
    all(new LoweringOptions(false, null, node -> false, Optional.empty())).stream()
        .map(Pass::name)
        .forEach(names::add);
    return List.copyOf(names);
  }

  /** The lowering passes over a graph after the standard passes. */
  public static Graph run(Graph standard, LoweringOptions options) {
    return run(standard, lowering(options), null);
  }

  /**
   * The list run on an imported graph up to and including {@code lastPass} ({@link Passes#IMPORT}:
   * none); the options of the lowering passes are made from the graph after the standard ones (the
   * size ranges come from its symbols).
   */
  public static Graph runUpTo(
      Graph imported, String lastPass, Function<Graph, LoweringOptions> options) {
    if (!names().contains(lastPass)) {
      throw new OclcException(
          "no pass named '" + lastPass + "'; the passes are " + String.join(", ", names()));
    }
    if (lastPass.equals(Passes.IMPORT)
        || Passes.STANDARD.stream().anyMatch(p -> p.name().equals(lastPass))) {
      return Passes.runUpTo(imported, lastPass);
    }
    Graph standard = Passes.runStandard(imported);
    return run(standard, lowering(options.apply(standard)), lastPass);
  }

  private static Graph run(Graph graph, List<Pass> passes, String lastPass) {
    Graph current = graph;
    for (Pass pass : passes) {
      current = pass.apply(current);
      GraphVerifier.verify(current, "after pass '" + pass.name() + "'");
      if (pass.name().equals(lastPass)) {
        break;
      }
    }
    return current;
  }
}
