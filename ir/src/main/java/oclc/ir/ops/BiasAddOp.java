package oclc.ir.ops;

import java.util.List;
import oclc.ir.Attributes;
import oclc.ir.EvaluationContext;
import oclc.ir.InferenceContext;
import oclc.ir.NodeRewrite;
import oclc.ir.Shape;
import oclc.ir.Tensor;
import oclc.ir.TensorType;

/**
 * com.microsoft BiasAdd: {@code Y = X + bias + skip}, X and skip {@code [N, S, C]}, bias {@code
 * [C]}.
 */
final class BiasAddOp implements MicrosoftOp {

  @Override
  public String opType() {
    return "BiasAdd";
  }

  @Override
  public List<TensorType> inferTypes(InferenceContext context) {
    TensorType x = context.inputType(0);
    Shape bias = context.inputShape(1);
    if (x.rank() != 3 || bias.rank() != 1 || context.inputDType(2) != x.dtype()) {
      throw context.error(
          "BiasAdd takes X [N, S, C], bias [C] and skip [N, S, C] of one type; got "
              + x
              + ", "
              + context.inputType(1)
              + ", "
              + context.inputType(2));
    }
    context.unify(bias.dim(0), x.shape().dim(2), "bias's length is X's channels");
    Broadcast.shapes(context, x.shape(), context.inputShape(2));
    return List.of(x);
  }

  @Override
  public List<Tensor> evaluate(EvaluationContext context) {
    Tensor x = context.input(0);
    Tensor bias = context.input(1);
    Tensor skip = context.input(2);
    int channels = (int) bias.dim(0);
    Tensor y = Tensor.allocate(x.dtype(), x.shape());
    for (int i = 0; i < y.size(); i++) {
      y.setDouble(i, x.getDouble(i) + bias.getDouble(i % channels) + skip.getDouble(i));
    }
    return List.of(y);
  }

  @Override
  public boolean decompose(NodeRewrite rewrite) {
    String biased = rewrite.add("bias", "Add", rewrite.input(0), rewrite.input(1));
    rewrite.addAs(rewrite.output(0), "skip", "Add", Attributes.NONE, biased, rewrite.input(2));
    return true;
  }
}
