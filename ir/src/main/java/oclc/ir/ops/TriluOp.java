package oclc.ir.ops;

import java.util.List;
import oclc.ir.EvaluationContext;
import oclc.ir.Tensor;

/** Trilu: keeps the upper (or lower) triangle of the last two dims, from diagonal k on. */
final class TriluOp extends ShapePreservingOp {
  @Override
  public String opType() {
    return "Trilu";
  }

  @Override
  public List<Tensor> evaluate(EvaluationContext context) {
    Tensor x = context.input(0);
    long[] shape = x.shape();
    boolean upper = context.attributes().getInt("upper", 1) != 0;
    long k = context.optionalInput(1).map(t -> t.getLong(0)).orElse(0L);
    long rows = shape[shape.length - 2];
    long cols = shape[shape.length - 1];
    Tensor y = Tensor.allocate(x.dtype(), shape);
    for (int i = 0; i < x.size(); i++) {
      long col = i % cols;
      long row = (i / cols) % rows;
      boolean keep = upper ? col - row >= k : col - row <= k;
      if (keep) {
        y.copyElement(x, i, i);
      }
    }
    return List.of(y);
  }
}
