package oclc.ir.ops;

import java.util.List;
import oclc.ir.Attributes;
import oclc.ir.EvaluationContext;
import oclc.ir.InferenceContext;
import oclc.ir.OpDefinition;
import oclc.ir.Shape;
import oclc.ir.Tensor;
import oclc.ir.TensorType;
import oclc.ir.UnsupportedFeatureException;

/** Constant: its value from one of value, value_float(s) or value_int(s). */
final class ConstantOp implements OpDefinition {
  @Override
  public String opType() {
    return "Constant";
  }

  static Tensor value(Attributes a, String node) {
    if (a.has("value")) {
      return a.getTensor("value");
    }
    if (a.has("value_float")) {
      return Tensor.ofFloats(new long[0], a.getFloat("value_float", 0));
    }
    if (a.has("value_floats")) {
      float[] v = a.getFloats("value_floats", null);
      return Tensor.ofFloats(new long[] {v.length}, v);
    }
    if (a.has("value_int")) {
      return Tensor.scalarLong(a.getInt("value_int"));
    }
    if (a.has("value_ints")) {
      long[] v = a.getInts("value_ints");
      return Tensor.ofLongs(new long[] {v.length}, v);
    }
    throw new UnsupportedFeatureException(node + ": Constant with attributes " + a.byName().keySet()
        + " (strings and sparse values are not supported)");
  }

  @Override
  public List<TensorType> inferTypes(InferenceContext context) {
    Tensor t = value(context.attributes(), context.node().toString());
    return List.of(new TensorType(t.dtype(), Shape.of(t.shape())));
  }

  @Override
  public List<Tensor> evaluate(EvaluationContext context) {
    return List.of(value(context.attributes(), context.node().toString()));
  }
}
