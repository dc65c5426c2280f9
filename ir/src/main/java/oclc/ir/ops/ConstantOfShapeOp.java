package oclc.ir.ops;

import java.util.List;
import java.util.Optional;
import oclc.ir.DType;
import oclc.ir.Dim;
import oclc.ir.EvaluationContext;
import oclc.ir.InferenceContext;
import oclc.ir.OpDefinition;
import oclc.ir.Shape;
import oclc.ir.SymbolicTensor;
import oclc.ir.Tensor;
import oclc.ir.TensorType;

/** ConstantOfShape: a tensor of the given (possibly symbolic) shape filled with one value. */
final class ConstantOfShapeOp implements OpDefinition {
  @Override
  public String opType() {
    return "ConstantOfShape";
  }

  private static Tensor fill(EvaluationContext context) {
    return context.attributes().has("value")
        ? context.attributes().getTensor("value")
        : Tensor.allocate(DType.FLOAT32, 1);
  }

  @Override
  public List<TensorType> inferTypes(InferenceContext context) {
    DType type = DType.FLOAT32;
    if (context.attributes().has("value")) {
      Tensor value = context.attributes().getTensor("value");
      if (value.size() != 1) {
        throw context.error("the value attribute must hold one element, not " + value.size());
      }
      type = value.dtype();
    }
    Shape shape = new Shape(context.requireSymbolicInput(0, "shape").elements());
    for (Dim d : shape.dims()) {
      if (d.isConstant() && d.constant() < 0) {
        throw context.error("the shape " + shape + " has a negative size");
      }
    }
    return List.of(new TensorType(type, shape));
  }

  @Override
  public List<Tensor> evaluate(EvaluationContext context) {
    Tensor value = fill(context);
    Tensor out = Tensor.allocate(value.dtype(), context.input(0).toLongArray());
    for (int i = 0; i < out.size(); i++) {
      out.copyElement(value, 0, i);
    }
    return List.of(out);
  }

  @Override
  public Optional<List<SymbolicTensor>> evaluateSymbolic(InferenceContext context) {
    Optional<SymbolicTensor> shape = context.symbolicInput(0).filter(SymbolicTensor::isConstant);
    Tensor value =
        context.attributes().has("value") ? context.attributes().getTensor("value") : null;
    if (shape.isEmpty() || value == null || value.dtype().isFloat()) {
      return Optional.empty();
    }
    long[] dims = shape.get().elements().stream().mapToLong(Dim::constant).toArray();
    int n = Tensor.elementCount(dims);
    if (n > 4096) {
      return Optional.empty();
    }
    return Optional.of(
        List.of(
            new SymbolicTensor(
                value.dtype(), dims, java.util.Collections.nCopies(n, Dim.of(value.getLong(0))))));
  }
}
