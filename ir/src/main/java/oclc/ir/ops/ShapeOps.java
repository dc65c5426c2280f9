package oclc.ir.ops;

import java.util.List;
import oclc.ir.OpDefinition;

/** TODO(group owner): the definitions of this group. */
public final class ShapeOps {
  private ShapeOps() {}

  public static List<OpDefinition> definitions() {
    return List.of();
  }
}
