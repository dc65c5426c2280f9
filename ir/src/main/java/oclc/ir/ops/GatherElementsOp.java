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
    long[] out = arguments.shape(1);
    long[] indices = arguments.values(1).orElseThrow();
    int axis = Axes.normalize(arguments.attributes().getInt("axis", 0), data.length);
    long[] dataStrides = Indexing.strides(data);
    long[] position = new long[out.length];
    int[] index = new int[indices.length];
    for (int i = 0; i < index.length; i++) {
      Indexing.unravel(i, out, position);
      long k = indices[i] < 0 ? indices[i] + data[axis] : indices[i];
      if (k < 0 || k >= data[axis]) {
        throw new IndexOutOfBoundsException(
            "index " + indices[i] + " out of range for dim " + data[axis]);
      }
      position[axis] = k;
      index[i] = (int) Indexing.ravel(position, dataStrides);
    }
    return ElementSources.ofSingleInput(out, index);
  }
}
