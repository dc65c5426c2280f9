package oclc.ir.ops;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import oclc.ir.Attributes;
import oclc.ir.Dim;
import oclc.ir.EvaluationContext;
import oclc.ir.InferenceContext;
import oclc.ir.OpDefinition;
import oclc.ir.Shape;
import oclc.ir.SymbolicTensor;
import oclc.ir.Tensor;

/**
 * An op that only moves elements (Gather, Concat, Reshape, Slice, Transpose, …). Each such op says
 * once, in {@link #sources}, where every output element comes from; that one mapping drives both
 * the reference evaluation and the evaluation over dims used by shape arithmetic.
 */
abstract class MovementOp implements OpDefinition {

  /** Its output's elements are its data inputs' ({@link #isData}). */
  @Override
  public boolean copiesValuesOf(Attributes attributes, int input) {
    return isData(input);
  }

  /**
   * A gather's output shape: data's dims before {@code from}, then {@code gathered} (what the
   * indices select), then data's dims from {@code to} on.
   */
  static Shape gatheredShape(Shape data, int from, List<Dim> gathered, int to) {
    List<Dim> out = new ArrayList<>(data.dims().subList(0, from));
    out.addAll(gathered);
    out.addAll(data.dims().subList(to, data.rank()));
    return new Shape(out);
  }

  /** For each output element, the data input and flat index it is copied from. */
  record ElementSources(long[] outputShape, int[] input, int[] index) {
    static ElementSources ofSingleInput(long[] outputShape, int[] index) {
      return new ElementSources(outputShape, new int[index.length], index);
    }
  }

  /**
   * What the mapping may look at: each input's shape and integer values (null where absent or, for
   * data inputs, not needed), the attributes and the opset.
   */
  record Arguments(
      List<long[]> shapes, List<long[]> integerValues, Attributes attributes, long opset) {
    long[] shape(int input) {
      return shapes.get(input);
    }

    /** The integer values of a parameter input (indices, axes, a shape), empty when absent. */
    Optional<long[]> values(int input) {
      return input < integerValues.size()
          ? Optional.ofNullable(integerValues.get(input))
          : Optional.empty();
    }

    int inputCount() {
      return shapes.size();
    }

    /** The {@code axis} attribute (0 when absent) of a rank-{@code rank} input, made positive. */
    int axis(int rank) {
      return Axes.normalize(attributes.getInt("axis", 0), rank);
    }
  }

  /**
   * Where an index (counted from the end when negative) lands in a dim of {@code size}; an index
   * out of range is an error that names the op.
   */
  long position(long index, long size) {
    long position = index < 0 ? index + size : index;
    if (position < 0 || position >= size) {
      throw new IndexOutOfBoundsException(
          opType() + " index " + index + " is out of range for dim " + size);
    }
    return position;
  }

  /** The inputs whose elements move (the first, for most ops); the others are parameters. */
  boolean isData(int input) {
    return input == 0;
  }

  abstract ElementSources sources(Arguments arguments);

  @Override
  public List<Tensor> evaluate(EvaluationContext context) {
    ElementSources s = sources(concreteArguments(context));
    Tensor first =
        context.input(s.input().length > 0 ? s.input()[0] : firstData(context.inputCount()));
    Tensor out = Tensor.allocate(first.dtype(), s.outputShape());
    for (int i = 0; i < s.index().length; i++) {
      out.copyElement(context.input(s.input()[i]), s.index()[i], i);
    }
    return List.of(out);
  }

  @Override
  public Optional<List<SymbolicTensor>> evaluateSymbolic(InferenceContext context) {
    List<SymbolicTensor> known = new ArrayList<>();
    for (int i = 0; i < context.inputCount(); i++) {
      Optional<SymbolicTensor> s = context.symbolicInput(i);
      if (context.hasInput(i) && s.isEmpty()) {
        return Optional.empty();
      }
      if (context.hasInput(i) && !isData(i) && !s.get().isConstant()) {
        return Optional.empty(); // the mapping itself would be symbolic
      }
      known.add(s.orElse(null));
    }
    if (known.isEmpty() || known.get(firstData(known.size())) == null) {
      return Optional.empty();
    }
    ElementSources s = sources(symbolicArguments(context, known));
    if (s.index().length > 1 << 16) {
      return Optional.empty();
    }
    List<Dim> elements = new ArrayList<>(s.index().length);
    for (int i = 0; i < s.index().length; i++) {
      elements.add(known.get(s.input()[i]).element(s.index()[i]));
    }
    return Optional.of(
        List.of(
            new SymbolicTensor(
                known.get(firstData(known.size())).dtype(), s.outputShape(), elements)));
  }

  private int firstData(int inputCount) {
    for (int i = 0; i < inputCount; i++) {
      if (isData(i)) {
        return i;
      }
    }
    return 0;
  }

  /** Values are read for the parameter inputs only: data inputs may be large. */
  private Arguments concreteArguments(EvaluationContext context) {
    List<long[]> shapes = new ArrayList<>();
    List<long[]> values = new ArrayList<>();
    for (int i = 0; i < context.inputCount(); i++) {
      Tensor t = context.optionalInput(i).orElse(null);
      shapes.add(t == null ? null : t.shape());
      values.add(t == null || isData(i) ? null : t.toLongArray());
    }
    return new Arguments(shapes, values, context.attributes(), context.opset());
  }

  private static Arguments symbolicArguments(InferenceContext context, List<SymbolicTensor> known) {
    List<long[]> shapes = new ArrayList<>();
    List<long[]> values = new ArrayList<>();
    for (SymbolicTensor s : known) {
      shapes.add(s == null ? null : s.shape());
      values.add(
          s == null || !s.isConstant()
              ? null
              : s.elements().stream().mapToLong(Dim::constant).toArray());
    }
    return new Arguments(shapes, values, context.attributes(), context.opset());
  }
}
