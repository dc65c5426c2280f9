package oclc.ir.ops;

import java.util.ArrayList;
import java.util.List;
import oclc.ir.DType;
import oclc.ir.Dim;
import oclc.ir.EvaluationContext;
import oclc.ir.InferenceContext;
import oclc.ir.OpDefinition;
import oclc.ir.Shape;
import oclc.ir.Tensor;
import oclc.ir.TensorType;

/** NonZero: the indices of the non-zero elements, one column per element in row-major order. */
final class NonZeroOp implements OpDefinition {
  @Override
  public String opType() {
    return "NonZero";
  }

  @Override
  public List<TensorType> inferTypes(InferenceContext context) {
    Shape in = context.inputShape(0);
    Dim count =
        context
            .constantInput(0)
            .map(t -> Dim.of(nonZeroPositions(t).size()))
            .orElseGet(() -> context.dataDependentDim("count"));
    return List.of(new TensorType(DType.INT64, Shape.of(Dim.of(in.rank()), count)));
  }

  private static List<Integer> nonZeroPositions(Tensor x) {
    List<Integer> positions = new ArrayList<>();
    for (int i = 0; i < x.size(); i++) {
      if (x.getBool(i)) { // NaN counts as non-zero, as in numpy
        positions.add(i);
      }
    }
    return positions;
  }

  @Override
  public List<Tensor> evaluate(EvaluationContext context) {
    Tensor x = context.input(0);
    long[] shape = x.shape();
    List<Integer> positions = nonZeroPositions(x);
    int count = positions.size();
    Tensor out = Tensor.allocate(DType.INT64, shape.length, count);
    long[] position = new long[shape.length];
    for (int column = 0; column < count; column++) {
      Indexing.unravel(positions.get(column), shape, position);
      for (int axis = 0; axis < shape.length; axis++) {
        out.setLong(axis * count + column, position[axis]);
      }
    }
    return List.of(out);
  }
}
