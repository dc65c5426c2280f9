package oclc.ir.ops;

import java.util.List;
import oclc.ir.EvaluationContext;
import oclc.ir.InferenceContext;
import oclc.ir.OpDefinition;
import oclc.ir.Tensor;
import oclc.ir.TensorType;

/** Mean: the broadcast elementwise average of its inputs. */
final class MeanOp implements OpDefinition {
  private final NaryOp sum = NaryOp.arithmetic("Sum", Double::sum, Long::sum, null);

  @Override
  public String opType() {
    return "Mean";
  }

  @Override
  public List<TensorType> inferTypes(InferenceContext context) {
    return sum.inferTypes(context);
  }

  @Override
  public List<Tensor> evaluate(EvaluationContext context) {
    Tensor total = sum.evaluate(context).get(0);
    for (int i = 0; i < total.size(); i++) {
      total.setDouble(i, total.getDouble(i) / context.inputCount());
    }
    return List.of(total);
  }
}
