package oclc.runtime;

import java.util.List;
import oclc.ir.exec.SymbolBindings;
import oclc.runtime.LaunchPlan.PlannedDispatch;

/**
 * One variant of a node on a backend: its dispatches' kernels, bound to their arguments at plan
 * time and launched as bound. A launch is on the hot loop of a session: it sets nothing and
 * allocates nothing (but the timing of a profiled dispatch).
 */
public interface BoundVariant<B> {
  /**
   * Sets every dispatch's arguments for these symbols and this memory (those that changed, where it
   * can tell).
   */
  void bind(SymbolBindings symbols, MemoryPlanner<B> memory);

  /**
   * Launches the bound dispatches; with {@code timings} (when profiling, else null) one record
   * each.
   */
  void launch(List<TimingRecord> timings);

  /** The bound dispatches for the plan. */
  List<PlannedDispatch> describe();

  /**
   * Computes dispatch {@code dispatch} with {@code source} from now on (its arguments are bound
   * again before the next launch): an OpenCL experiment, which other backends refuse.
   */
  default void replace(int dispatch, String source) {
    throw new UnsupportedOperationException(
        "replacing a kernel takes OpenCL C source, for an artifact compiled for "
            + "OpenCL; this backend's kernels are not OpenCL C");
  }

  /** Lets go of what the kernels hold. */
  default void release() {}
}
