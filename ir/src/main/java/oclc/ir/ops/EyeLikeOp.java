package oclc.ir.ops;

import java.util.List;
import oclc.ir.DType;
import oclc.ir.EvaluationContext;
import oclc.ir.InferenceContext;
import oclc.ir.OpDefinition;
import oclc.ir.Tensor;
import oclc.ir.TensorType;

/** EyeLike: a 2-D tensor of the input's shape with ones on diagonal {@code k}, zeros elsewhere. */
final class EyeLikeOp implements OpDefinition {
  @Override
  public String opType() {
    return "EyeLike";
  }

  private static DType outputType(DType input, long code) {
    return code < 0
        ? input
        : DType.fromOnnxCode((int) code)
            .orElseThrow(() -> new IllegalArgumentException("unknown dtype code " + code));
  }

  @Override
  public List<TensorType> inferTypes(InferenceContext context) {
    if (context.inputShape(0).rank() != 2) {
      throw context.error("needs a 2-D input, got " + context.inputShape(0));
    }
    DType type = outputType(context.inputDType(0), context.attributes().getInt("dtype", -1));
    return List.of(new TensorType(type, context.inputShape(0)));
  }

  @Override
  public List<Tensor> evaluate(EvaluationContext context) {
    Tensor x = context.input(0);
    DType type = outputType(x.dtype(), context.attributes().getInt("dtype", -1));
    long k = context.attributes().getInt("k", 0);
    long rows = x.dim(0);
    long columns = x.dim(1);
    Tensor out = Tensor.allocate(type, rows, columns);
    for (long row = 0; row < rows; row++) {
      long column = row + k;
      if (column >= 0 && column < columns) {
        out.setLong((int) (row * columns + column), 1);
      }
    }
    return List.of(out);
  }
}
