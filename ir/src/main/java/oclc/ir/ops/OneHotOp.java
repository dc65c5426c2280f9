package oclc.ir.ops;

import java.util.ArrayList;
import java.util.List;
import oclc.ir.Dim;
import oclc.ir.EvaluationContext;
import oclc.ir.InferenceContext;
import oclc.ir.OpDefinition;
import oclc.ir.Shape;
import oclc.ir.Tensor;
import oclc.ir.TensorType;

/**
 * OneHot: a new axis of size {@code depth} at {@code axis}, holding {@code values[1]} where its
 * position equals the index and {@code values[0]} elsewhere. Negative indices count from {@code
 * depth}; indices out of range give a row of {@code values[0]}.
 */
final class OneHotOp implements OpDefinition {
  @Override
  public String opType() {
    return "OneHot";
  }

  @Override
  public List<TensorType> inferTypes(InferenceContext context) {
    Shape indices = context.inputShape(0);
    int axis = Axes.normalize(context, context.attributes().getInt("axis", -1), indices.rank() + 1);
    List<Dim> out = new ArrayList<>(indices.dims());
    out.add(axis, depth(context));
    return List.of(new TensorType(context.inputDType(2), new Shape(out)));
  }

  /** Depth may be of any numeric type; a float one is truncated, as the spec says. */
  private static Dim depth(InferenceContext context) {
    if (context.inputDType(1).isFloat()) {
      return context
          .constantInput(1)
          .map(t -> Dim.of((long) t.getDouble(0)))
          .orElseGet(() -> context.dataDependentDim("depth"));
    }
    return context
        .symbolicInput(1)
        .map(s -> s.element(0))
        .orElseGet(() -> context.dataDependentDim("depth"));
  }

  @Override
  public List<Tensor> evaluate(EvaluationContext context) {
    Tensor indices = context.input(0);
    Tensor depthTensor = context.input(1);
    long depth =
        depthTensor.dtype().isFloat() ? (long) depthTensor.getDouble(0) : depthTensor.getLong(0);
    Tensor values = context.input(2);
    long[] inShape = indices.shape();
    int axis = Axes.normalize(context.attributes().getInt("axis", -1), inShape.length + 1);

    long[] outShape = new long[inShape.length + 1];
    for (int i = 0, j = 0; i < outShape.length; i++) {
      outShape[i] = i == axis ? depth : inShape[j++];
    }
    Tensor out = Tensor.allocate(values.dtype(), outShape);
    long outer = Indexing.product(inShape, 0, axis);
    long inner = Indexing.product(inShape, axis, inShape.length);
    for (long o = 0; o < outer; o++) {
      for (long d = 0; d < depth; d++) {
        for (long j = 0; j < inner; j++) {
          int source = (int) (o * inner + j);
          long index =
              indices.dtype().isFloat()
                  ? (long) indices.getDouble(source)
                  : indices.getLong(source);
          if (index < 0) {
            index += depth;
          }
          out.copyElement(values, index == d ? 1 : 0, (int) ((o * depth + d) * inner + j));
        }
      }
    }
    return List.of(out);
  }
}
