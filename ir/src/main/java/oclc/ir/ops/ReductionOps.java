package oclc.ir.ops;

import java.util.List;
import oclc.ir.OpDefinition;

/** TODO(group owner): the definitions of this group. */
public final class ReductionOps {
  private ReductionOps() {}

  public static List<OpDefinition> definitions() {
    return List.of();
  }
}
