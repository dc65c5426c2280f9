package oclc.ir.ops;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import oclc.ir.Dim;
import oclc.ir.InferenceContext;
import oclc.ir.Shape;
import oclc.ir.SymbolicTensor;
import oclc.ir.TensorType;

/**
 * Compress: the slices along {@code axis} (of the flattened input when there is no axis) whose
 * condition is true. A condition shorter than the axis drops the slices it does not reach.
 */
final class CompressOp extends MovementOp {
  @Override
  public String opType() {
    return "Compress";
  }

  @Override
  public List<TensorType> inferTypes(InferenceContext context) {
    Shape in = context.inputShape(0);
    boolean hasAxis = context.attributes().has("axis");
    int axis =
        hasAxis ? Axes.normalize(context, context.attributes().getInt("axis"), in.rank()) : 0;
    Dim count =
        knownCount(context, hasAxis ? in.dim(axis) : in.elementCount())
            .orElseGet(() -> context.dataDependentDim("count"));
    Shape out = hasAxis ? in.withDim(axis, count) : Shape.of(count);
    return List.of(new TensorType(context.inputDType(0), out));
  }

  /** The number of kept slices, when the condition and the length of the axis are known. */
  private static Optional<Dim> knownCount(InferenceContext context, Dim axisLength) {
    Optional<SymbolicTensor> condition =
        context.symbolicInput(1).filter(SymbolicTensor::isConstant);
    if (condition.isEmpty() || !axisLength.isConstant()) {
      return Optional.empty();
    }
    long count = 0;
    for (int i = 0; i < Math.min(condition.get().size(), axisLength.constant()); i++) {
      count += condition.get().element(i).constant() != 0 ? 1 : 0;
    }
    return Optional.of(Dim.of(count));
  }

  @Override
  ElementSources sources(Arguments arguments) {
    long[] in = arguments.shape(0);
    long[] condition = arguments.values(1).orElseThrow();
    boolean hasAxis = arguments.attributes().has("axis");
    long[] shape = hasAxis ? in : new long[] {Indexing.size(in)};
    int axis = hasAxis ? Axes.normalize(arguments.attributes().getInt("axis"), in.length) : 0;
    List<Long> kept = new ArrayList<>();
    for (int i = 0; i < Math.min(condition.length, shape[axis]); i++) {
      if (condition[i] != 0) {
        kept.add((long) i);
      }
    }
    long[] out = shape.clone();
    out[axis] = kept.size();
    long outer = Indexing.product(shape, 0, axis);
    long inner = Indexing.product(shape, axis + 1, shape.length);
    int[] index = new int[Indexing.size(out)];
    int i = 0;
    for (long o = 0; o < outer; o++) {
      for (long slice : kept) {
        for (long j = 0; j < inner; j++) {
          index[i++] = (int) ((o * shape[axis] + slice) * inner + j);
        }
      }
    }
    return ElementSources.ofSingleInput(out, index);
  }
}
