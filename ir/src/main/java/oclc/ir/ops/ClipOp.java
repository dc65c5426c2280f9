package oclc.ir.ops;

import java.util.List;
import oclc.ir.DType;
import oclc.ir.EvaluationContext;
import oclc.ir.InferenceContext;
import oclc.ir.Tensor;
import oclc.ir.TensorType;

/**
 * Clip: the bounds are the attributes {@code min}/{@code max} before opset 11 (floats only,
 * defaulting to the float range) and optional scalar inputs from 11 (any numeric type; an absent
 * bound does not clip). Integers compare in their own order, so uint64 clips as unsigned. When min
 * exceeds max every element becomes max, as the spec says.
 */
final class ClipOp extends ShapePreservingOp {
  @Override
  public String opType() {
    return "Clip";
  }

  @Override
  public List<TensorType> inferTypes(InferenceContext context) {
    DType type = context.inputDType(0);
    if (!NaryOp.numeric(type) || context.opset() < 11 && !type.isFloat()) {
      throw context.error("Clip-" + context.opset() + " is not defined for element type " + type);
    }
    for (int i = 1; i <= 2 && context.opset() >= 11; i++) {
      if (context.hasInput(i) && context.inputDType(i) != type) {
        throw context.error(
            "bound "
                + i
                + " has element type "
                + context.inputDType(i)
                + " but the input has "
                + type);
      }
    }
    return super.inferTypes(context);
  }

  @Override
  public List<Tensor> evaluate(EvaluationContext context) {
    Tensor x = context.input(0);
    Tensor y = Tensor.allocate(x.dtype(), x.shape());
    if (x.dtype().isFloat()) {
      double low;
      double high;
      if (context.opset() < 11) {
        low = context.attributes().getFloat("min", -Float.MAX_VALUE);
        high = context.attributes().getFloat("max", Float.MAX_VALUE);
      } else {
        low = context.optionalInput(1).map(t -> t.getDouble(0)).orElse(Double.NEGATIVE_INFINITY);
        high = context.optionalInput(2).map(t -> t.getDouble(0)).orElse(Double.POSITIVE_INFINITY);
      }
      for (int i = 0; i < x.size(); i++) {
        double v = x.getDouble(i);
        y.setDouble(i, Double.isNaN(v) ? v : Math.min(Math.max(v, low), high));
      }
    } else {
      DType type = x.dtype();
      long low = context.optionalInput(1).map(t -> t.getLong(0)).orElse(ElementOrder.lowest(type));
      long high =
          context.optionalInput(2).map(t -> t.getLong(0)).orElse(ElementOrder.highest(type));
      for (int i = 0; i < x.size(); i++) {
        long v = x.getLong(i);
        v = ElementOrder.compareLongs(type, v, low) < 0 ? low : v;
        v = ElementOrder.compareLongs(type, v, high) > 0 ? high : v;
        y.setLong(i, v);
      }
    }
    return List.of(y);
  }
}
