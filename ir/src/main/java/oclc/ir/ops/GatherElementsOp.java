package oclc.ir.ops;

import java.util.List;
import oclc.ir.InferenceContext;
import oclc.ir.TensorType;

/** GatherElements: out[i][j][k] = data[..index on axis replaced by indices[i][j][k]..]. */
final class GatherElementsOp extends MovementOp {
  @Override
  public String opType() {
    return "GatherElements";
  }

  @Override
  public List<TensorType> inferTypes(InferenceContext context) {
    return List.of(new TensorType(context.inputDType(0), context.inputShape(1)));
  }

  @Override
  ElementSources sources(Arguments arguments) {
    long[] data = arguments.shape(0);
    long[] indices = arguments.values(1).orElseThrow();
    int axis = arguments.axis(data.length);
    long[] out = arguments.shape(1); // the indices' shape
    long[] dataStrides = Indexing.strides(data);
    long[] position = new long[out.length];
    int[] index = new int[indices.length];
    for (int i = 0; i < index.length; i++) {
      Indexing.unravel(i, out, position);
      position[axis] = position(indices[i], data[axis]);
      index[i] = (int) Indexing.ravel(position, dataStrides);
    }
    return ElementSources.ofSingleInput(out, index);
  }
}
