package oclc.lowering.passes;

import java.util.List;
import oclc.ir.Graph;

/**
 * A backend's choice of which nodes one launch computes (OpenCL's epilogues and elementwise
 * chains), which {@link FusionGroups} records in the graph. Only the backend knows what its fused
 * kernels can compute, so it plans; the pass and the graph's text are backend-neutral.
 */
@FunctionalInterface
public interface FusionPlanner {
  /** The groups of {@code graph}, in launch order. */
  List<Group> plan(Graph graph);

  /**
   * One launch: named after {@code first} (an {@code epilogue}'s product, or a chain's first node);
   * {@code members} the other nodes it computes, in graph order; {@code launchedAloneToo} the view
   * members whose result a node outside reads (launched alone as well); {@code stored} the values
   * it writes; {@code launchedBefore} the later nodes its members read that are launched just
   * before it, in graph order.
   */
  record Group(
      String first,
      boolean epilogue,
      List<String> members,
      List<String> launchedAloneToo,
      List<String> stored,
      List<String> launchedBefore) {
    public Group {
      members = List.copyOf(members);
      launchedAloneToo = List.copyOf(launchedAloneToo);
      stored = List.copyOf(stored);
      launchedBefore = List.copyOf(launchedBefore);
    }
  }
}
