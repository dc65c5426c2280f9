package oclc.ir.ops;

import java.util.List;
import java.util.OptionalInt;
import oclc.ir.Attributes;
import oclc.ir.DType;
import oclc.ir.Dim;
import oclc.ir.InferenceContext;
import oclc.ir.Shape;
import oclc.ir.TensorType;

/** Gather: slices of the data along {@code axis}, picked by (possibly negative) indices. */
final class GatherOp extends MovementOp {
  @Override
  public String opType() {
    return "Gather";
  }

  @Override
  public OptionalInt indexedAxis(Attributes attributes, int input) {
    return input == 1 ? OptionalInt.of((int) attributes.getInt("axis", 0)) : OptionalInt.empty();
  }

  @Override
  public List<TensorType> inferTypes(InferenceContext context) {
    Shape data = context.inputShape(0);
    Shape indices = context.inputShape(1);
    int axis = Axes.normalize(context, context.attributes().getInt("axis", 0), data.rank());
    DType indexType = context.inputDType(1);
    if (indexType != DType.INT32 && indexType != DType.INT64) {
      throw context.error("indices must be int32 or int64, not " + indexType);
    }
    Dim size = data.dim(axis);
    context
        .symbolicInput(1)
        .ifPresent(
            values -> {
              for (Dim index : values.elements()) {
                // Caught here rather than while folding, so that the error names the node and the
                // index.
                if (index.isConstant()
                    && size.isConstant()
                    && (index.constant() < -size.constant()
                        || index.constant() >= size.constant())) {
                  throw context.error(
                      "index " + index + " is out of range for axis " + axis + " of size " + size);
                }
              }
            });
    return List.of(
        new TensorType(context.inputDType(0), gatheredShape(data, axis, indices.dims(), axis + 1)));
  }

  @Override
  ElementSources sources(Arguments arguments) {
    long[] data = arguments.shape(0);
    long[] indicesShape = arguments.shape(1);
    long[] indices = arguments.values(1).orElseThrow();
    int axis = arguments.axis(data.length);
    long outer = Indexing.product(data, 0, axis);
    long inner = Indexing.product(data, axis + 1, data.length);
    long[] out = new long[data.length - 1 + indicesShape.length];
    System.arraycopy(data, 0, out, 0, axis);
    System.arraycopy(indicesShape, 0, out, axis, indicesShape.length);
    System.arraycopy(data, axis + 1, out, axis + indicesShape.length, data.length - axis - 1);
    int[] index = new int[Indexing.size(out)];
    int i = 0;
    for (long o = 0; o < outer; o++) {
      for (long k : indices) {
        long row = position(k, data[axis]);
        for (long j = 0; j < inner; j++) {
          index[i++] = (int) ((o * data[axis] + row) * inner + j);
        }
      }
    }
    return ElementSources.ofSingleInput(out, index);
  }
}
