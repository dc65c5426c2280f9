package oclc.ir.ops;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.TreeMap;
import oclc.ir.DType;
import oclc.ir.Dim;
import oclc.ir.EvaluationContext;
import oclc.ir.InferenceContext;
import oclc.ir.OpDefinition;
import oclc.ir.Shape;
import oclc.ir.Tensor;
import oclc.ir.TensorType;

/**
 * Unique: the distinct elements (or, with {@code axis}, the distinct slices along it), sorted
 * ascending unless {@code sorted} is 0, when they keep the order of their first occurrence. Also
 * the index of each first occurrence, the unique entry of every input slice, and the counts.
 */
final class UniqueOp implements OpDefinition {
  @Override
  public String opType() {
    return "Unique";
  }

  @Override
  public List<TensorType> inferTypes(InferenceContext context) {
    Shape in = context.inputShape(0);
    Dim count = context.dataDependentDim("count");
    Shape values;
    Dim slices;
    if (context.attributes().has("axis")) {
      int axis = Axes.normalize(context, context.attributes().getInt("axis"), in.rank());
      values = in.withDim(axis, count);
      slices = in.dim(axis);
    } else {
      values = Shape.of(count);
      slices = in.elementCount();
    }
    TensorType perUnique = new TensorType(DType.INT64, Shape.of(count));
    return List.of(
        new TensorType(context.inputDType(0), values),
        perUnique,
        new TensorType(DType.INT64, Shape.of(slices)),
        perUnique);
  }

  @Override
  public List<Tensor> evaluate(EvaluationContext context) {
    Tensor input = context.input(0);
    boolean hasAxis = context.attributes().has("axis");
    Tensor x = hasAxis ? input : input.reshape(input.size());
    int axis = hasAxis ? Axes.normalize(context.attributes().getInt("axis"), x.rank()) : 0;
    long[] shape = x.shape();
    int outer = (int) Indexing.product(shape, 0, axis);
    int slices = (int) shape[axis];
    int inner = (int) Indexing.product(shape, axis + 1, shape.length);

    // Each distinct slice is keyed by its first occurrence; the map orders them by value.
    Comparator<Integer> byValue = (a, b) -> compareSlices(x, a, b, outer, slices, inner);
    TreeMap<Integer, Integer> firstOccurrence = new TreeMap<>(byValue);
    List<Integer> firsts = new ArrayList<>();
    long[] inverse = new long[slices];
    for (int s = 0; s < slices; s++) {
      Integer group = firstOccurrence.get(s);
      if (group == null) {
        group = firsts.size();
        firstOccurrence.put(s, group);
        firsts.add(s);
      }
      inverse[s] = group;
    }
    boolean sorted = context.attributes().getInt("sorted", 1) != 0;
    List<Integer> order =
        sorted ? new ArrayList<>(firstOccurrence.values()) : indexes(firsts.size());
    long[] rank = new long[order.size()];
    for (int position = 0; position < order.size(); position++) {
      rank[order.get(position)] = position;
    }

    int count = order.size();
    long[] outShape = shape.clone();
    outShape[axis] = count;
    Tensor values = Tensor.allocate(x.dtype(), outShape);
    Tensor indices = Tensor.allocate(DType.INT64, count);
    Tensor inverseIndices = Tensor.allocate(DType.INT64, slices);
    Tensor counts = Tensor.allocate(DType.INT64, count);
    for (int position = 0; position < count; position++) {
      int first = firsts.get(order.get(position));
      indices.setLong(position, first);
      for (int o = 0; o < outer; o++) {
        for (int j = 0; j < inner; j++) {
          values.copyElement(
              x, (o * slices + first) * inner + j, (o * count + position) * inner + j);
        }
      }
    }
    for (int s = 0; s < slices; s++) {
      int position = (int) rank[(int) inverse[s]];
      inverseIndices.setLong(s, position);
      counts.setLong(position, counts.getLong(position) + 1);
    }
    return List.of(values, indices, inverseIndices, counts);
  }

  private static List<Integer> indexes(int n) {
    List<Integer> all = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      all.add(i);
    }
    return all;
  }

  /** Lexicographic order of slices {@code a} and {@code b} along the axis. */
  private static int compareSlices(Tensor x, int a, int b, int outer, int slices, int inner) {
    for (int o = 0; o < outer; o++) {
      for (int j = 0; j < inner; j++) {
        int c = compareElements(x, (o * slices + a) * inner + j, (o * slices + b) * inner + j);
        if (c != 0) {
          return c;
        }
      }
    }
    return 0;
  }

  /**
   * Numeric order: -0.0 equals 0.0, NaNs equal each other and come last; uint64 compares unsigned.
   */
  private static int compareElements(Tensor x, int i, int j) {
    DType type = x.dtype();
    if (type.isFloat()) {
      double a = x.getDouble(i);
      double b = x.getDouble(j);
      if (Double.isNaN(a) || Double.isNaN(b)) {
        return Boolean.compare(Double.isNaN(a), Double.isNaN(b));
      }
      return a < b ? -1 : a > b ? 1 : 0;
    }
    return type == DType.UINT64
        ? Long.compareUnsigned(x.getLong(i), x.getLong(j))
        : Long.compare(x.getLong(i), x.getLong(j));
  }
}
