package oclc.ir.ops;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import oclc.ir.Attributes;
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
 * The Reduce* ops. Each is a {@link Reducer}: how to fold floats (in double) and, where the result
 * is exact, integers (in long). Axes move from attribute to input at opset 13 for ReduceSum and 18
 * for the rest.
 */
final class ReduceOp implements OpDefinition, ReducesAxes {

  /** Folds one group of elements into one value. */
  interface Reducer {
    double reduceFloats(double[] values, int count);

    /**
     * Whether integer inputs are folded exactly by {@link #reduceIntegers}, not through doubles.
     */
    default boolean exactForIntegers() {
      return false;
    }

    /** Folds stored integers of {@code dtype} (uint64 as raw bits); the result is stored as is. */
    default long reduceIntegers(long[] values, int count, DType dtype) {
      throw new UnsupportedOperationException();
    }

    /**
     * Folds dims, for shape arithmetic such as counting elements; empty where it does not apply.
     */
    default Optional<Dim> reduceDims(List<Dim> values) {
      return Optional.empty();
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
  private TreeSet<Integer> axes(Attributes attributes, long[] given, int rank) {
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

  /** The axes at compile time: the attribute, or the axes input, which must then be known. */
  private TreeSet<Integer> axes(InferenceContext context, int rank) {
    long[] given = context.attributes().getInts("axes", null);
    if (context.opset() >= axesInputSince) {
      given = null;
      if (context.hasInput(1)
          && context.symbolicInput(1).isEmpty()
          && holdsNothing(context.inputShape(1))) {
        given = new long[0]; // an axes input of no elements says "none", whatever its data
      } else if (context.hasInput(1)) {
        SymbolicTensor s = context.requireSymbolicInput(1, "axes");
        if (!s.isConstant()) {
          throw context.error("the axes (input 1) must be constants, not " + s.elements());
        }
        given = s.elements().stream().mapToLong(Dim::constant).toArray();
      }
    }
    for (long a : given == null ? new long[0] : given) {
      Axes.normalize(context, a, rank);
    }
    return axes(context.attributes(), given, rank);
  }

  private static boolean holdsNothing(Shape shape) {
    return shape.dims().stream().anyMatch(d -> d.isConstant() && d.constant() == 0);
  }

  @Override
  public java.util.SortedSet<Integer> reducedAxes(InferenceContext context) {
    return axes(context, context.inputShape(0).rank());
  }

  private boolean keepDims(Attributes attributes) {
    return attributes.getInt("keepdims", 1) != 0;
  }

  @Override
  public List<TensorType> inferTypes(InferenceContext context) {
    Shape in = context.inputShape(0);
    TreeSet<Integer> axes = axes(context, in.rank());
    List<Dim> out = new ArrayList<>();
    for (int i = 0; i < in.rank(); i++) {
      if (!axes.contains(i)) {
        out.add(in.dim(i));
      } else if (keepDims(context.attributes())) {
        out.add(Dim.of(1));
      }
    }
    return List.of(new TensorType(context.inputDType(0), new Shape(out)));
  }

  @Override
  public List<Tensor> evaluate(EvaluationContext context) {
    Tensor x = context.input(0);
    long[] given =
        context.opset() >= axesInputSince
            ? context.optionalInput(1).map(Tensor::toLongArray).orElse(null)
            : context.attributes().getInts("axes", null);
    Groups groups =
        Groups.of(
            x.shape(), axes(context.attributes(), given, x.rank()), keepDims(context.attributes()));
    boolean exact = !x.dtype().isFloat() && reducer.exactForIntegers();
    double[][] doubles = exact ? null : new double[groups.count()][groups.size()];
    long[][] longs = exact ? new long[groups.count()][groups.size()] : null;
    int[] fill = new int[groups.count()];
    for (int i = 0; i < x.size(); i++) {
      int g = groups.of()[i];
      if (exact) {
        longs[g][fill[g]++] = x.getLong(i);
      } else {
        doubles[g][fill[g]++] = x.getDouble(i);
      }
    }
    Tensor out = Tensor.allocate(x.dtype(), groups.outputShape());
    for (int g = 0; g < groups.count(); g++) {
      if (exact) {
        out.setLong(g, reducer.reduceIntegers(longs[g], groups.size(), x.dtype()));
      } else {
        out.setDouble(g, reducer.reduceFloats(doubles[g], groups.size()));
      }
    }
    return List.of(out);
  }

  /** Sums and products over integer tensors of dims, e.g. the element count of a shape. */
  @Override
  public Optional<List<SymbolicTensor>> evaluateSymbolic(InferenceContext context) {
    Optional<SymbolicTensor> data = context.symbolicInput(0);
    if (data.isEmpty() || !data.get().dtype().isInteger()) {
      return Optional.empty();
    }
    SymbolicTensor x = data.get();
    Groups groups =
        Groups.of(x.shape(), axes(context, x.shape().length), keepDims(context.attributes()));
    List<List<Dim>> members = new ArrayList<>();
    for (int g = 0; g < groups.count(); g++) {
      members.add(new ArrayList<>());
    }
    for (int i = 0; i < x.size(); i++) {
      members.get(groups.of()[i]).add(x.element(i));
    }
    List<Dim> out = new ArrayList<>();
    for (List<Dim> group : members) {
      Optional<Dim> folded = reducer.reduceDims(group);
      if (folded.isEmpty()) {
        return Optional.empty();
      }
      out.add(folded.get());
    }
    return Optional.of(List.of(new SymbolicTensor(x.dtype(), groups.outputShape(), out)));
  }

  /**
   * Which output element each input element folds into.
   *
   * @param of for each input element (row-major), its output element
   * @param size the number of input elements per output element
   */
  private record Groups(int[] of, int count, int size, long[] outputShape) {
    static Groups of(long[] shape, TreeSet<Integer> axes, boolean keepDims) {
      long[] kept = shape.clone();
      for (int a : axes) {
        kept[a] = 1;
      }
      List<Long> outputShape = new ArrayList<>();
      for (int i = 0; i < shape.length; i++) {
        if (!axes.contains(i) || keepDims) {
          outputShape.add(kept[i]);
        }
      }
      int inputSize = Indexing.size(shape);
      int count = Indexing.size(kept);
      long[] keptStrides = Indexing.strides(kept);
      long[] position = new long[shape.length];
      int[] of = new int[inputSize];
      for (int i = 0; i < inputSize; i++) {
        Indexing.unravel(i, shape, position);
        for (int a : axes) {
          position[a] = 0;
        }
        of[i] = (int) Indexing.ravel(position, keptStrides);
      }
      int size = count == 0 ? 0 : inputSize / count;
      return new Groups(of, count, size, outputShape.stream().mapToLong(Long::longValue).toArray());
    }
  }
}
