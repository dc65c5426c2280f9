package oclc.ir.ops;

import java.util.List;
import oclc.ir.OpDefinition;

/** TODO(group owner): the definitions of this group. */
public final class DataMovementOps {
  private DataMovementOps() {}

  public static List<OpDefinition> definitions() {
    return List.of();
  }
}
