package oclc.ir.ops;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import oclc.ir.Dim;
import oclc.ir.EvaluationContext;
import oclc.ir.InferenceContext;
import oclc.ir.OpDefinition;
import oclc.ir.Shape;
import oclc.ir.SymbolicTensor;
import oclc.ir.Tensor;
import oclc.ir.TensorType;

/**
 * The Reduce* ops. Each is a {@link Reducer}: how to fold floats (in double) and, where the result
 * is exact, integers (in long). Axes move from attribute to input at opset 13 for ReduceSum and 18
 * for the rest.
 */
final class ReduceOp implements OpDefinition {

  /** Folds one group of elements into one value. */
  interface Reducer {
    double reduceFloats(double[] values, int count);

    /** Whether integer inputs are folded exactly by {@link #reduceIntegers}, not through doubles. */
    default boolean exactForIntegers() {
      return false;
    }

    default long reduceIntegers(long[] values, int count) {
      throw new UnsupportedOperationException();
    }
  }

  private final String opType;
  private final Reducer reducer;
  private final long axesInputSince;

  ReduceOp(String opType, Reducer reducer, long axesInputSince) {
    this.opType = opType;
    this.reducer = reducer;
    this.axesInputSince = axesInputSince;
  }

  @Override
  public String opType() {
    return opType;
  }

  /** The reduced axes, normalized; all axes when none are given (unless noop_with_empty_axes). */
  private TreeSet<Integer> axes(long opset, oclc.ir.Attributes attributes, Optional<long[]> axesInput, int rank) {
    long[] given = opset < axesInputSince ? attributes.getInts("axes", null) : axesInput.orElse(null);
    TreeSet<Integer> axes = new TreeSet<>();
    if (given == null || given.length == 0) {
      if (attributes.getInt("noop_with_empty_axes", 0) == 0) {
        for (int i = 0; i < rank; i++) {
          axes.add(i);
        }
      }
      return axes;
    }
    for (long a : given) {
      axes.add(Axes.normalize(a, rank));
    }
    return axes;
  }

  @Override
  public List<TensorType> inferTypes(InferenceContext context) {
    Shape in = context.inputShape(0);
    Optional<long[]> axesInput = Optional.empty();
    if (context.opset() >= axesInputSince && context.hasInput(1)) {
      SymbolicTensor s = context.requireSymbolicInput(1, "axes");
      axesInput = Optional.of(s.elements().stream().mapToLong(Dim::constant).toArray());
    }
    TreeSet<Integer> axes = axes(context.opset(), context.attributes(), axesInput, in.rank());
    boolean keep = context.attributes().getInt("keepdims", 1) != 0;
    List<Dim> out = new ArrayList<>();
    for (int i = 0; i < in.rank(); i++) {
      if (!axes.contains(i)) {
        out.add(in.dim(i));
      } else if (keep) {
        out.add(Dim.of(1));
      }
    }
    return List.of(new TensorType(context.inputDType(0), new Shape(out)));
  }

  @Override
  public List<Tensor> evaluate(EvaluationContext context) {
    Tensor x = context.input(0);
    long[] shape = x.shape();
    Optional<long[]> axesInput = context.opset() >= axesInputSince
        ? context.optionalInput(1).map(Tensor::toLongArray)
        : Optional.empty();
    TreeSet<Integer> axes = axes(context.opset(), context.attributes(), axesInput, shape.length);
    boolean keep = context.attributes().getInt("keepdims", 1) != 0;
    long[] kept = shape.clone();
    for (int a : axes) {
      kept[a] = 1;
    }
    List<Long> outShape = new ArrayList<>();
    for (int i = 0; i < shape.length; i++) {
      if (!axes.contains(i) || keep) {
        outShape.add(kept[i]);
      }
    }
    int groups = Indexing.size(kept);
    int groupSize = groups == 0 ? 0 : x.size() / groups;
    // Gather each output's elements, then fold them.
    int[] fill = new int[groups];
    long[] keptStrides = Indexing.strides(kept);
    long[] position = new long[shape.length];
    boolean floats = x.dtype().isFloat();
    double[][] doubles = floats || !reducer.exactForIntegers() ? new double[groups][groupSize] : null;
    long[][] longs = doubles == null ? new long[groups][groupSize] : null;
    for (int i = 0; i < x.size(); i++) {
      Indexing.unravel(i, shape, position);
      for (int a : axes) {
        position[a] = 0;
      }
      int g = (int) Indexing.ravel(position, keptStrides);
      if (doubles != null) {
        doubles[g][fill[g]++] = x.getDouble(i);
      } else {
        longs[g][fill[g]++] = x.getLong(i);
      }
    }
    Tensor out = Tensor.allocate(x.dtype(), outShape.stream().mapToLong(Long::longValue).toArray());
    for (int g = 0; g < groups; g++) {
      if (doubles != null) {
        out.setDouble(g, reducer.reduceFloats(doubles[g], groupSize));
      } else {
        out.setLong(g, reducer.reduceIntegers(longs[g], groupSize));
      }
    }
    return List.of(out);
  }
}
