package oclc.ir.ops;

import java.util.ArrayList;
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

/** Range(start, limit, delta): max(ceil((limit − start) / delta), 0) values from start. */
final class RangeOp implements OpDefinition {
  @Override
  public String opType() {
    return "Range";
  }

  @Override
  public List<TensorType> inferTypes(InferenceContext context) {
    DType type = context.inputDType(0);
    for (int i = 1; i < 3; i++) {
      if (context.inputDType(i) != type) {
        throw context.error(
            "start, limit and delta must have one type: start is "
                + type
                + ", input "
                + i
                + " is "
                + context.inputDType(i));
      }
    }
    return List.of(new TensorType(type, Shape.of(length(context))));
  }

  private static Dim length(InferenceContext context) {
    if (context.inputDType(0).isFloat()) {
      if (context.constantInput(0).isPresent()
          && context.constantInput(1).isPresent()
          && context.constantInput(2).isPresent()) {
        double start = context.constantInput(0).get().getDouble(0);
        double limit = context.constantInput(1).get().getDouble(0);
        double delta = context.constantInput(2).get().getDouble(0);
        if (delta == 0) {
          throw context.error("Range delta is 0");
        }
        return Dim.of(Math.max((long) Math.ceil((limit - start) / delta), 0));
      }
      return context.dataDependentDim("length");
    }
    Optional<SymbolicTensor> start = context.symbolicInput(0);
    Optional<SymbolicTensor> limit = context.symbolicInput(1);
    Optional<SymbolicTensor> delta = context.symbolicInput(2).filter(SymbolicTensor::isConstant);
    if (start.isEmpty() || limit.isEmpty() || delta.isEmpty()) {
      return context.dataDependentDim("length");
    }
    long step = delta.get().element(0).constant();
    if (step == 0) {
      throw context.error("Range delta is 0");
    }
    Dim span = limit.get().element(0).minus(start.get().element(0));
    Dim count =
        step > 0
            ? span.plus(step - 1).floorDiv(Dim.of(step))
            : span.times(-1).plus(-step - 1).floorDiv(Dim.of(-step));
    return count.max(Dim.of(0));
  }

  @Override
  public List<Tensor> evaluate(EvaluationContext context) {
    Tensor start = context.input(0);
    DType type = start.dtype();
    if (context.input(2).getDouble(0) == 0) {
      throw context.error("Range delta is 0");
    }
    if (type.isFloat()) {
      double s = start.getDouble(0);
      double delta = context.input(2).getDouble(0);
      long n = Math.max((long) Math.ceil((context.input(1).getDouble(0) - s) / delta), 0);
      Tensor out = Tensor.allocate(type, n);
      for (int i = 0; i < n; i++) {
        out.setDouble(i, s + i * delta);
      }
      return List.of(out);
    }
    long s = start.getLong(0);
    long limit = context.input(1).getLong(0);
    long delta = context.input(2).getLong(0);
    long n = Math.max(Math.ceilDiv(limit - s, delta), 0);
    Tensor out = Tensor.allocate(type, n);
    for (int i = 0; i < n; i++) {
      out.setLong(i, s + i * delta);
    }
    return List.of(out);
  }

  @Override
  public Optional<List<SymbolicTensor>> evaluateSymbolic(InferenceContext context) {
    Dim n = length(context);
    Optional<SymbolicTensor> start = context.symbolicInput(0);
    Optional<SymbolicTensor> delta = context.symbolicInput(2);
    if (!n.isConstant()
        || n.constant() > 4096
        || start.isEmpty()
        || delta.isEmpty()
        || context.inputDType(0).isFloat()) {
      return Optional.empty();
    }
    List<Dim> values = new ArrayList<>();
    for (int i = 0; i < n.constant(); i++) {
      values.add(start.get().element(0).plus(delta.get().element(0).times(i)));
    }
    return Optional.of(List.of(SymbolicTensor.vector(context.inputDType(0), values)));
  }
}
