package oclc.codegen.opencl;

import java.util.ArrayList;
import java.util.List;
import oclc.ir.Dim;

/**
 * Local work sizes chosen at compile time, from what is known to divide each global size for every
 * binding of the symbols. A fixed local size matters: drivers such as POCL compile a kernel's
 * work-group function per local size on first use, so letting the driver pick one per shape would
 * compile again whenever a prompt or cache length changes.
 */
final class WorkGroups {
  /**
   * Work-items per group: enough to fill a CPU core's vector lanes or a GPU warp, few enough to
   * fit.
   */
  static final int BUDGET = 64;

  private WorkGroups() {}

  /** Per axis (innermost first) the largest power of two that divides it, within the budget. */
  static List<Dim> localSize(List<Dim> globalSize) {
    List<Dim> local = new ArrayList<>();
    long budget = BUDGET;
    for (Dim g : globalSize) {
      long divisor = g.knownDivisor() == 0 ? 1 : g.knownDivisor();
      long size = Long.lowestOneBit(divisor);
      while (size > budget) {
        size /= 2;
      }
      local.add(Dim.of(size));
      budget /= size;
    }
    return local;
  }
}
