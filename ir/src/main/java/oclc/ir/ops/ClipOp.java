package oclc.ir.ops;

import java.util.List;
import oclc.ir.EvaluationContext;
import oclc.ir.Tensor;

/** Clip: min and max bounds, as attributes before opset 11 and optional scalar inputs after. */
final class ClipOp extends ShapePreservingOp {
  @Override
  public String opType() {
    return "Clip";
  }

  @Override
  public List<Tensor> evaluate(EvaluationContext context) {
    Tensor x = context.input(0);
    Tensor y = Tensor.allocate(x.dtype(), x.shape());
    if (x.dtype().isFloat()) {
      double low;
      double high;
      if (context.opset() < 11) {
        low = context.attributes().getFloat("min", Float.NEGATIVE_INFINITY);
        high = context.attributes().getFloat("max", Float.POSITIVE_INFINITY);
      } else {
        low = context.optionalInput(1).map(t -> t.getDouble(0)).orElse(Double.NEGATIVE_INFINITY);
        high = context.optionalInput(2).map(t -> t.getDouble(0)).orElse(Double.POSITIVE_INFINITY);
      }
      for (int i = 0; i < x.size(); i++) {
        double v = x.getDouble(i);
        y.setDouble(i, Double.isNaN(v) ? v : Math.min(Math.max(v, low), high));
      }
    } else {
      long low = context.optionalInput(1).map(t -> t.getLong(0)).orElse(Long.MIN_VALUE);
      long high = context.optionalInput(2).map(t -> t.getLong(0)).orElse(Long.MAX_VALUE);
      for (int i = 0; i < x.size(); i++) {
        y.setLong(i, Math.min(Math.max(x.getLong(i), low), high));
      }
    }
    return List.of(y);
  }
}
