package oclc.ir.ops;

import java.util.List;
import java.util.Optional;
import oclc.ir.EvaluationContext;
import oclc.ir.InferenceContext;
import oclc.ir.SymbolicTensor;
import oclc.ir.Tensor;
import oclc.ir.TensorType;

/** CumSum along the axis given as an input; exclusive and reverse variants. */
final class CumSumOp extends ShapePreservingOp {
  @Override
  public String opType() {
    return "CumSum";
  }

  /** Checks the axis where it is known; the output has the input's type either way. */
  @Override
  public List<TensorType> inferTypes(InferenceContext context) {
    int rank = context.inputShape(0).rank();
    Optional<SymbolicTensor> axis = context.symbolicInput(1);
    if (axis.isPresent()) {
      if (axis.get().size() != 1) {
        throw context.error("the axis (input 1) must hold one element, not " + axis.get().size());
      }
      axis.get().element(0).constantValue().ifPresent(a -> Axes.normalize(context, a, rank));
    }
    return super.inferTypes(context);
  }

  @Override
  public List<Tensor> evaluate(EvaluationContext context) {
    Tensor x = context.input(0);
    long[] shape = x.shape();
    int axis = Axes.normalize(context.input(1).getLong(0), shape.length);
    boolean exclusive = context.attributes().getInt("exclusive", 0) != 0;
    boolean reverse = context.attributes().getInt("reverse", 0) != 0;
    long length = shape[axis];
    long inner = Indexing.product(shape, axis + 1, shape.length);
    long outer = Indexing.product(shape, 0, axis);
    Tensor y = Tensor.allocate(x.dtype(), shape);
    boolean floats = x.dtype().isFloat();
    for (long o = 0; o < outer; o++) {
      for (long in = 0; in < inner; in++) {
        double sum = 0;
        long integerSum = 0;
        for (long step = 0; step < length; step++) {
          long k = reverse ? length - 1 - step : step;
          int at = (int) ((o * length + k) * inner + in);
          if (floats) {
            double v = x.getDouble(at);
            y.setDouble(at, exclusive ? sum : sum + v);
            sum += v;
          } else {
            long v = x.getLong(at);
            y.setLong(at, exclusive ? integerSum : integerSum + v);
            integerSum += v;
          }
        }
      }
    }
    return List.of(y);
  }
}
