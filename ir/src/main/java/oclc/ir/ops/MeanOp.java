package oclc.ir.ops;

import java.util.ArrayList;
import java.util.List;
import oclc.ir.DType;
import oclc.ir.EvaluationContext;
import oclc.ir.InferenceContext;
import oclc.ir.OpDefinition;
import oclc.ir.Tensor;
import oclc.ir.TensorType;

/** Mean: the broadcast elementwise average of its float inputs. */
final class MeanOp implements OpDefinition {
  private final NaryOp sum =
      new NaryOp("Mean", DType::isFloat, a -> Double::sum, null, false, null);

  @Override
  public String opType() {
    return "Mean";
  }

  @Override
  public List<TensorType> inferTypes(InferenceContext context) {
    return sum.inferTypes(context);
  }

  /** Sums in double before the one division, so that a float16 mean is rounded only once. */
  @Override
  public List<Tensor> evaluate(EvaluationContext context) {
    List<Tensor> inputs = new ArrayList<>();
    for (int k = 0; k < context.inputCount(); k++) {
      inputs.add(context.input(k));
    }
    int count = inputs.size();
    return List.of(
        ElementwiseKernels.broadcast(
            inputs,
            inputs.get(0).dtype(),
            (out, i, in, idx) -> {
              double total = 0;
              for (int k = 0; k < count; k++) {
                total += in.get(k).getDouble(idx[k]);
              }
              out.setDouble(i, total / count);
            }));
  }
}
