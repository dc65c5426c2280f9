package oclc.ir.ops;

import java.util.ArrayList;
import java.util.List;
import oclc.ir.OpDefinition;

/** Elementwise ops: unary math, broadcast binary and variadic math, logic, Where, Clip, Cast. */
public final class ElementwiseOps {
  private ElementwiseOps() {}

  public static List<OpDefinition> definitions() {
    List<OpDefinition> all = new ArrayList<>(UnaryMath.definitions());
    all.addAll(BinaryMath.definitions());
    all.add(new WhereOp());
    all.add(new ClipOp());
    all.add(new CastOp(false));
    all.add(new CastOp(true));
    return all;
  }
}
