package oclc.ir.ops;

import java.util.List;
import java.util.function.DoubleUnaryOperator;
import java.util.function.Function;
import java.util.function.LongUnaryOperator;
import oclc.ir.Attributes;
import oclc.ir.DType;
import oclc.ir.EvaluationContext;
import oclc.ir.InferenceContext;
import oclc.ir.OpDefinition;
import oclc.ir.Tensor;
import oclc.ir.TensorType;

/**
 * An elementwise op of one input: a function on floats (given the node's attributes), optionally
 * one on integers, and whether it yields bools.
 */
public record UnaryOp(
    String opType,
    Function<Attributes, DoubleUnaryOperator> onFloats,
    LongUnaryOperator onIntegers,
    boolean yieldsBool)
    implements OpDefinition {

  static UnaryOp floats(String opType, DoubleUnaryOperator f) {
    return new UnaryOp(opType, attributes -> f, null, false);
  }

  static UnaryOp withAttributes(String opType, Function<Attributes, DoubleUnaryOperator> f) {
    return new UnaryOp(opType, f, null, false);
  }

  static UnaryOp integers(String opType, LongUnaryOperator onIntegers) {
    return new UnaryOp(opType, null, onIntegers, false);
  }

  static UnaryOp numeric(String opType, DoubleUnaryOperator f, LongUnaryOperator onIntegers) {
    return new UnaryOp(opType, attributes -> f, onIntegers, false);
  }

  @Override
  public List<TensorType> inferTypes(InferenceContext context) {
    TensorType in = context.inputType(0);
    if (in.dtype().isFloat() ? onFloats == null : onIntegers == null) {
      throw context.error("input type " + in.dtype() + " is not supported by " + opType);
    }
    return List.of(yieldsBool ? new TensorType(DType.BOOL, in.shape()) : in);
  }

  @Override
  public List<Tensor> evaluate(EvaluationContext context) {
    Tensor x = context.input(0);
    Tensor y = Tensor.allocate(yieldsBool ? DType.BOOL : x.dtype(), x.shape());
    if (x.dtype().isFloat()) {
      DoubleUnaryOperator f = onFloats.apply(context.attributes());
      for (int i = 0; i < x.size(); i++) {
        y.setDouble(i, f.applyAsDouble(x.getDouble(i)));
      }
    } else {
      for (int i = 0; i < x.size(); i++) {
        y.setLong(i, onIntegers.applyAsLong(x.getLong(i)));
      }
    }
    return List.of(y);
  }
}
