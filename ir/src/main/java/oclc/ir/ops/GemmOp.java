package oclc.ir.ops;

import java.util.List;
import oclc.ir.Dim;
import oclc.ir.EvaluationContext;
import oclc.ir.InferenceContext;
import oclc.ir.OpDefinition;
import oclc.ir.Shape;
import oclc.ir.Tensor;
import oclc.ir.TensorType;

/**
 * Gemm: alpha · op(A) · op(B) + beta · C, op a transpose when transA/transB, C broadcast to (M, N).
 */
final class GemmOp implements OpDefinition {
  @Override
  public String opType() {
    return "Gemm";
  }

  @Override
  public List<TensorType> inferTypes(InferenceContext context) {
    Shape a = context.inputShape(0);
    Shape b = context.inputShape(1);
    if (a.rank() != 2 || b.rank() != 2) {
      throw context.error("Gemm needs matrices, got " + a + " and " + b);
    }
    boolean transA = context.attributes().getInt("transA", 0) != 0;
    boolean transB = context.attributes().getInt("transB", 0) != 0;
    Dim m = transA ? a.dim(1) : a.dim(0);
    Dim n = transB ? b.dim(0) : b.dim(1);
    return List.of(new TensorType(context.inputDType(0), Shape.of(m, n)));
  }

  @Override
  public List<Tensor> evaluate(EvaluationContext context) {
    Tensor a = context.input(0);
    Tensor b = context.input(1);
    boolean transA = context.attributes().getInt("transA", 0) != 0;
    boolean transB = context.attributes().getInt("transB", 0) != 0;
    double alpha = context.attributes().getFloat("alpha", 1f);
    double beta = context.attributes().getFloat("beta", 1f);
    int m = (int) (transA ? a.dim(1) : a.dim(0));
    int k = (int) (transA ? a.dim(0) : a.dim(1));
    int n = (int) (transB ? b.dim(0) : b.dim(1));
    Tensor y = Tensor.allocate(a.dtype(), m, n);
    int[] cMap =
        context.hasInput(2)
            ? Broadcast.indexMap(new long[] {m, n}, context.input(2).shape())
            : null;
    boolean floats = a.dtype().isFloat();
    for (int i = 0; i < m; i++) {
      for (int j = 0; j < n; j++) {
        double sum = 0;
        long integerSum = 0;
        for (int kk = 0; kk < k; kk++) {
          int ai = transA ? kk * m + i : i * k + kk;
          int bi = transB ? j * k + kk : kk * n + j;
          if (floats) {
            sum += (double) a.getFloat(ai) * b.getFloat(bi);
          } else {
            integerSum += a.getLong(ai) * b.getLong(bi);
          }
        }
        double value = alpha * (floats ? sum : integerSum);
        if (cMap != null) {
          value += beta * context.input(2).getDouble(cMap[i * n + j]);
        }
        y.setDouble(i * n + j, value);
      }
    }
    return List.of(y);
  }
}
