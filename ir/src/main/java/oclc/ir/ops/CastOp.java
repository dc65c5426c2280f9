package oclc.ir.ops;

import java.util.List;
import java.util.Optional;
import oclc.ir.DType;
import oclc.ir.EvaluationContext;
import oclc.ir.InferenceContext;
import oclc.ir.OpDefinition;
import oclc.ir.SymbolicTensor;
import oclc.ir.Tensor;
import oclc.ir.TensorType;
import oclc.ir.UnsupportedFeatureException;

/** Cast (target type in the {@code to} attribute) and CastLike (the type of its second input). */
final class CastOp implements OpDefinition {
  private final boolean like;

  CastOp(boolean like) {
    this.like = like;
  }

  @Override
  public String opType() {
    return like ? "CastLike" : "Cast";
  }

  private DType target(InferenceContext context) {
    if (like) {
      return context.inputDType(1);
    }
    int code = (int) context.attributes().getInt("to");
    DType type = DType.fromOnnxCode(code).filter(DType::isSupported).orElseThrow(() ->
        new UnsupportedFeatureException(context.node() + ": cast to element type " + code
            + " is not supported"));
    return type;
  }

  @Override
  public List<TensorType> inferTypes(InferenceContext context) {
    return List.of(new TensorType(target(context), context.inputShape(0)));
  }

  @Override
  public List<Tensor> evaluate(EvaluationContext context) {
    Tensor x = context.input(0);
    DType to = like ? context.input(1).dtype() : DType.fromOnnxCode((int) context.attributes().getInt("to")).orElseThrow();
    Tensor y = Tensor.allocate(to, x.shape());
    for (int i = 0; i < x.size(); i++) {
      if (to.isBool()) {
        y.setBool(i, x.getBool(i));
      } else if (x.dtype().isFloat() || to.isFloat()) {
        double v = x.getDouble(i);
        if (to.isFloat()) {
          y.setDouble(i, v);
        } else {
          y.setLong(i, Double.isNaN(v) ? 0 : (long) v); // toward zero, as C casts do
        }
      } else {
        y.setLong(i, x.getLong(i));
      }
    }
    return List.of(y);
  }

  @Override
  public Optional<List<SymbolicTensor>> evaluateSymbolic(InferenceContext context) {
    DType to = target(context);
    if (to.isFloat()) {
      return Optional.empty();
    }
    Optional<SymbolicTensor> input = context.symbolicInput(0).filter(s -> !s.dtype().isFloat());
    if (to.isBool()) {
      return input.filter(SymbolicTensor::isConstant).map(s -> List.of(new SymbolicTensor(to, s.shape(),
          s.elements().stream().map(d -> ElementwiseKernels.bool(d.constant() != 0)).toList())));
    }
    return input.map(s -> List.of(new SymbolicTensor(to, s.shape(), s.elements())));
  }
}
