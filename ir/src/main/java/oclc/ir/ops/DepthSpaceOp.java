package oclc.ir.ops;

import java.util.List;
import oclc.ir.Dim;
import oclc.ir.InferenceContext;
import oclc.ir.Shape;
import oclc.ir.TensorType;

/**
 * DepthToSpace and SpaceToDepth on NCHW tensors: blocks of {@code blocksize × blocksize} pixels
 * move between the channel axis and the spatial axes. DepthToSpace reads the channel as (block row,
 * block column, channel) in DCR mode, the default, and as (channel, block row, block column) in CRD
 * mode; SpaceToDepth always writes (block row, block column, channel).
 */
final class DepthSpaceOp extends MovementOp {
  private final boolean toSpace;

  private DepthSpaceOp(boolean toSpace) {
    this.toSpace = toSpace;
  }

  static DepthSpaceOp depthToSpace() {
    return new DepthSpaceOp(true);
  }

  static DepthSpaceOp spaceToDepth() {
    return new DepthSpaceOp(false);
  }

  @Override
  public String opType() {
    return toSpace ? "DepthToSpace" : "SpaceToDepth";
  }

  @Override
  public List<TensorType> inferTypes(InferenceContext context) {
    Shape in = context.inputShape(0);
    long block = context.attributes().getInt("blocksize");
    if (in.rank() != 4 || block < 1) {
      throw context.error(
          "needs an NCHW input and a positive blocksize, got " + in + " and " + block);
    }
    Shape out =
        toSpace
            ? Shape.of(
                in.dim(0),
                in.dim(1).floorDiv(block * block),
                in.dim(2).times(block),
                in.dim(3).times(block))
            : Shape.of(
                in.dim(0),
                in.dim(1).times(block * block),
                in.dim(2).floorDiv(block),
                in.dim(3).floorDiv(block));
    for (int axis : toSpace ? new int[] {1} : new int[] {2, 3}) {
      Dim divided = in.dim(axis);
      long by = toSpace ? block * block : block;
      if (divided.isConstant() && divided.constant() % by != 0) {
        throw context.error("dim " + axis + " of " + in + " is not a multiple of " + by);
      }
    }
    return List.of(new TensorType(context.inputDType(0), out));
  }

  @Override
  ElementSources sources(Arguments arguments) {
    long[] in = arguments.shape(0);
    int block = (int) arguments.attributes().getInt("blocksize");
    boolean columnRowDepth = arguments.attributes().getString("mode", "DCR").equals("CRD");
    long[] out =
        toSpace
            ? new long[] {in[0], in[1] / (block * block), in[2] * block, in[3] * block}
            : new long[] {in[0], in[1] * block * block, in[2] / block, in[3] / block};
    long[] inStrides = Indexing.strides(in);
    long[] position = new long[4];
    int[] index = new int[Indexing.size(out)];
    for (int i = 0; i < index.length; i++) {
      Indexing.unravel(i, out, position);
      long n = position[0];
      long c = position[1];
      long h = position[2];
      long w = position[3];
      long[] source;
      if (toSpace) {
        long blockRow = h % block;
        long blockColumn = w % block;
        long channel =
            columnRowDepth
                ? (c * block + blockRow) * block + blockColumn
                : (blockRow * block + blockColumn) * out[1] + c;
        source = new long[] {n, channel, h / block, w / block};
      } else {
        long blockOffset = c / in[1];
        long blockRow = blockOffset / block;
        long blockColumn = blockOffset % block;
        source = new long[] {n, c % in[1], h * block + blockRow, w * block + blockColumn};
      }
      index[i] = (int) Indexing.ravel(source, inStrides);
    }
    return ElementSources.ofSingleInput(out, index);
  }
}
