package oclc.ir.ops;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import oclc.ir.DType;
import oclc.ir.Dim;
import oclc.ir.EvaluationContext;
import oclc.ir.InferenceContext;
import oclc.ir.OpDefinition;
import oclc.ir.Shape;
import oclc.ir.SymbolicTensor;
import oclc.ir.Tensor;
import oclc.ir.TensorType;

/**
 * TopK: the k largest (or smallest) along an axis, with their int64 indices; equal values keep the
 * lower index first; elements compare in their own type (int64 exactly). k is an attribute before
 * opset 10 and an input after; an unknown k makes the axis a data-dependent dim.
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
    Optional<Dim> known =
        context.opset() < 10
            ? Optional.of(Dim.of(context.attributes().getInt("k")))
            : context.symbolicInput(1).map(s -> onlyElement(context, s));
    if (known.isEmpty()) {
      return outputs(context, in.withDim(axis, context.dataDependentDim("k")));
    }
    Dim k = known.get();
    if (k.constantValue().map(v -> v < 0).orElse(false)) {
      throw context.error("k is " + k + ", but must not be negative");
    }
    Dim length = in.dim(axis);
    if (k.isConstant() && length.isConstant() && k.constant() > length.constant()) {
      throw context.error("k is " + k + ", but axis " + axis + " has only " + length + " elements");
    }
    context.assume(k, length, "TopK's k is at most the size of its axis");
    return outputs(context, in.withDim(axis, k));
  }

  private static List<TensorType> outputs(InferenceContext context, Shape shape) {
    return List.of(
        new TensorType(context.inputDType(0), shape), new TensorType(DType.INT64, shape));
  }

  private static Dim onlyElement(InferenceContext context, SymbolicTensor k) {
    if (k.size() != 1) {
      throw context.error("k (input 1) must hold one element, not " + k.size());
    }
    return k.element(0);
  }

  @Override
  public List<Tensor> evaluate(EvaluationContext context) {
    Tensor x = context.input(0);
    long[] shape = x.shape();
    int axis = Axes.normalize(context.attributes().getInt("axis", -1), shape.length);
    int k =
        (int)
            (context.opset() < 10 ? context.attributes().getInt("k") : context.input(1).getLong(0));
    boolean largest = context.attributes().getInt("largest", 1) != 0;
    long length = shape[axis];
    long inner = Indexing.product(shape, axis + 1, shape.length);
    long outer = Indexing.product(shape, 0, axis);
    if (k < 0 || k > length) {
      throw context.error("k is " + k + ", but axis " + axis + " has " + length + " elements");
    }
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
        Comparator<Integer> comparator =
            (i, j) -> ElementOrder.compare(x, (int) (base + i * inner), (int) (base + j * inner));
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
