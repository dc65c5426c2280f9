package oclc.ir.ops;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import oclc.ir.DType;
import oclc.ir.Dim;
import oclc.ir.EvaluationContext;
import oclc.ir.InferenceContext;
import oclc.ir.OpDefinition;
import oclc.ir.Shape;
import oclc.ir.Tensor;
import oclc.ir.TensorType;

/**
 * TopK: the k largest (or smallest) along an axis, with their int64 indices; equal values keep
 * the lower index first. k is an attribute before opset 10 and an input after.
 */
final class TopKOp implements OpDefinition {
  @Override
  public String opType() {
    return "TopK";
  }

  @Override
  public List<TensorType> inferTypes(InferenceContext context) {
    Shape in = context.inputShape(0);
    int axis = Axes.normalize(context, context.attributes().getInt("axis", -1), in.rank());
    Dim k = context.opset() < 10
        ? Dim.of(context.attributes().getInt("k"))
        : context.symbolicInput(1).map(s -> s.element(0)).orElseGet(() -> context.dataDependentDim("k"));
    Shape out = in.withDim(axis, k);
    return List.of(new TensorType(context.inputDType(0), out), new TensorType(DType.INT64, out));
  }

  @Override
  public List<Tensor> evaluate(EvaluationContext context) {
    Tensor x = context.input(0);
    long[] shape = x.shape();
    int axis = Axes.normalize(context.attributes().getInt("axis", -1), shape.length);
    int k = (int) (context.opset() < 10 ? context.attributes().getInt("k") : context.input(1).getLong(0));
    boolean largest = context.attributes().getInt("largest", 1) != 0;
    long length = shape[axis];
    long inner = Indexing.product(shape, axis + 1, shape.length);
    long outer = Indexing.product(shape, 0, axis);
    long[] outShape = shape.clone();
    outShape[axis] = k;
    Tensor values = Tensor.allocate(x.dtype(), outShape);
    Tensor indices = Tensor.allocate(DType.INT64, outShape);
    for (long o = 0; o < outer; o++) {
      for (long in = 0; in < inner; in++) {
        long base = o * length * inner + in;
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < length; i++) {
          order.add(i);
        }
        Comparator<Integer> comparator = Comparator.comparingDouble(i -> x.getDouble((int) (base + i * inner)));
        if (largest) {
          comparator = comparator.reversed();
        }
        order.sort(comparator.thenComparingInt(i -> i));
        for (int j = 0; j < k; j++) {
          int at = (int) (o * k * inner + j * inner + in);
          values.copyElement(x, (int) (base + order.get(j) * inner), at);
          indices.setLong(at, order.get(j));
        }
      }
    }
    return List.of(values, indices);
  }
}
