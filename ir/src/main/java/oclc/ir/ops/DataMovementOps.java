package oclc.ir.ops;

import java.util.List;
import oclc.ir.OpDefinition;

/** Ops that rearrange elements: transposes, splits, gathers and scatters, padding, tiling. */
public final class DataMovementOps {
  private DataMovementOps() {}

  public static List<OpDefinition> definitions() {
    return List.of(
        new TransposeOp(),
        new SplitOp(),
        new GatherElementsOp(),
        new TileOp(),
        new TriluOp(),
        new PadOp(),
        new ScatterOp(ScatterOp.Kind.ND),
        new ScatterOp(ScatterOp.Kind.ELEMENTS),
        new ScatterOp(ScatterOp.Kind.LEGACY),
        new GatherNdOp(),
        DepthSpaceOp.depthToSpace(),
        DepthSpaceOp.spaceToDepth(),
        new ReverseSequenceOp(),
        new CompressOp(),
        new NonZeroOp(),
        new EyeLikeOp(),
        new OneHotOp(),
        new UniqueOp());
  }
}
