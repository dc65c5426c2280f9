package oclc.ir.ops;

import java.util.List;
import java.util.Optional;
import java.util.Set;
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
  /** Tensors of strings, and sparse tensors, have no place in oclc's numeric tensors. */
  private static final Set<String> UNSUPPORTED =
      Set.of("value_string", "value_strings", "sparse_value");

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
    throw new UnsupportedFeatureException(
        node
            + ": "
            + reason(a)
                .orElse(
                    "Constant needs one of value, value_float(s), value_int(s); it has "
                        + a.byName().keySet()));
  }

  private static Optional<String> reason(Attributes a) {
    return a.byName().keySet().stream()
        .filter(UNSUPPORTED::contains)
        .findFirst()
        .map(
            name ->
                "Constant with attribute "
                    + name
                    + " (strings and sparse tensors are not supported)");
  }

  @Override
  public Optional<String> unsupportedReason(InferenceContext context) {
    return reason(context.attributes());
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
