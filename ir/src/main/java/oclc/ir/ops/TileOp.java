package oclc.ir.ops;

import java.util.ArrayList;
import java.util.List;
import oclc.ir.Dim;
import oclc.ir.InferenceContext;
import oclc.ir.Shape;
import oclc.ir.SymbolicTensor;
import oclc.ir.TensorType;

/** Tile: the input repeated {@code repeats[i]} times along each axis. */
final class TileOp extends MovementOp {
  @Override
  public String opType() {
    return "Tile";
  }

  @Override
  public List<TensorType> inferTypes(InferenceContext context) {
    Shape in = context.inputShape(0);
    SymbolicTensor repeats = context.requireSymbolicInput(1, "repeats");
    List<Dim> out = new ArrayList<>();
    for (int i = 0; i < in.rank(); i++) {
      out.add(in.dim(i).times(repeats.element(i)));
    }
    return List.of(new TensorType(context.inputDType(0), new Shape(out)));
  }

  @Override
  ElementSources sources(Arguments arguments) {
    long[] in = arguments.shape(0);
    long[] repeats = arguments.values(1).orElseThrow();
    long[] out = new long[in.length];
    for (int i = 0; i < in.length; i++) {
      out[i] = in[i] * repeats[i];
    }
    long[] inStrides = Indexing.strides(in);
    long[] position = new long[out.length];
    int[] index = new int[Indexing.size(out)];
    for (int i = 0; i < index.length; i++) {
      Indexing.unravel(i, out, position);
      for (int axis = 0; axis < in.length; axis++) {
        position[axis] %= in[axis];
      }
      index[i] = (int) Indexing.ravel(position, inStrides);
    }
    return ElementSources.ofSingleInput(out, index);
  }
}
