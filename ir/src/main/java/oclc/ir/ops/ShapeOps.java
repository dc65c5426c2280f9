package oclc.ir.ops;

import java.util.List;
import oclc.ir.OpDefinition;

/** The ops of shape arithmetic and the plain data movement around it. */
public final class ShapeOps {
  private ShapeOps() {}

  public static List<OpDefinition> definitions() {
    return List.of(
        new ShapeOf(false),
        new ShapeOf(true),
        new ReshapeOp(),
        new FlattenOp(),
        new SqueezeOp(false),
        new SqueezeOp(true),
        new ConcatOp(),
        new SliceOp(),
        new GatherOp(),
        new ExpandOp(),
        new RangeOp(),
        new ConstantOfShapeOp(),
        new ConstantOp(),
        new IdentityOp(),
        new DropoutOp());
  }
}
