package oclc.ir.ops;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import oclc.ir.Attributes;
import oclc.ir.Dim;
import oclc.ir.EvaluationContext;
import oclc.ir.InferenceContext;
import oclc.ir.OpDefinition;
import oclc.ir.SymbolicTensor;
import oclc.ir.Tensor;

/**
 * An op that only moves elements (Gather, Concat, Reshape, Slice, Transpose, …). Each such op says
 * once, in {@link #sources}, where every output element comes from; that one mapping drives both
 * the reference evaluation and the evaluation over dims used by shape arithmetic.
 */
abstract class MovementOp implements OpDefinition {

  /** For each output element, the data input and flat index it is copied from. */
  record ElementSources(long[] outputShape, int[] input, int[] index) {
    static ElementSources ofSingleInput(long[] outputShape, int[] index) {
      return new ElementSources(outputShape, new int[index.length], index);
    }
  }

  /** What the mapping may look at: data shapes, parameter inputs' values, attributes, opset. */
  interface Arguments {
    long[] shape(int input);

    /** The integer values of a parameter input (indices, axes, a shape), empty when absent. */
    Optional<long[]> values(int input);

    int inputCount();

    Attributes attributes();

    long opset();
  }

  /** The inputs whose elements move; the others are parameters. */
  abstract boolean isData(int input);

  abstract ElementSources sources(Arguments arguments);

  @Override
  public List<Tensor> evaluate(EvaluationContext context) {
    ElementSources s = sources(concreteArguments(context));
    Tensor first = context.input(s.input().length > 0 ? s.input()[0] : firstData(context.inputCount()));
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
    return Optional.of(List.of(new SymbolicTensor(known.get(firstData(known.size())).dtype(),
        s.outputShape(), elements)));
  }

  private int firstData(int inputCount) {
    for (int i = 0; i < inputCount; i++) {
      if (isData(i)) {
        return i;
      }
    }
    return 0;
  }

  private static Arguments concreteArguments(EvaluationContext context) {
    return new Arguments() {
      @Override
      public long[] shape(int input) {
        return context.input(input).shape();
      }

      @Override
      public Optional<long[]> values(int input) {
        return context.optionalInput(input).map(Tensor::toLongArray);
      }

      @Override
      public int inputCount() {
        return context.inputCount();
      }

      @Override
      public Attributes attributes() {
        return context.attributes();
      }

      @Override
      public long opset() {
        return context.opset();
      }
    };
  }

  private static Arguments symbolicArguments(InferenceContext context, List<SymbolicTensor> known) {
    return new Arguments() {
      @Override
      public long[] shape(int input) {
        return known.get(input).shape();
      }

      @Override
      public Optional<long[]> values(int input) {
        return Optional.ofNullable(known.get(input))
            .map(s -> s.elements().stream().mapToLong(Dim::constant).toArray());
      }

      @Override
      public int inputCount() {
        return context.inputCount();
      }

      @Override
      public Attributes attributes() {
        return context.attributes();
      }

      @Override
      public long opset() {
        return context.opset();
      }
    };
  }
}
