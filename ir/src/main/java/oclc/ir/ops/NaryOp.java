package oclc.ir.ops;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.BiFunction;
import java.util.function.DoubleBinaryOperator;
import java.util.function.Function;
import java.util.function.LongBinaryOperator;
import oclc.ir.Attributes;
import oclc.ir.DType;
import oclc.ir.Dim;
import oclc.ir.EvaluationContext;
import oclc.ir.InferenceContext;
import oclc.ir.OpDefinition;
import oclc.ir.Shape;
import oclc.ir.SymbolicTensor;
import oclc.ir.Tensor;
import oclc.ir.TensorType;

/**
 * An elementwise op of two or more broadcast inputs (binary ops, and the variadic Sum/Max/Min),
 * folded left to right: a function on floats and one on integers (given the node's attributes),
 * whether it yields bools, and optionally its meaning over dims for shape arithmetic.
 */
public record NaryOp(
    String opType,
    Function<Attributes, DoubleBinaryOperator> onFloats,
    Function<Attributes, LongBinaryOperator> onIntegers,
    boolean yieldsBool,
    BiFunction<Dim, Dim, Optional<Dim>> onDims)
    implements OpDefinition {

  static NaryOp arithmetic(String opType, DoubleBinaryOperator f, LongBinaryOperator g,
      BiFunction<Dim, Dim, Optional<Dim>> onDims) {
    return new NaryOp(opType, a -> f, a -> g, false, onDims);
  }

  static NaryOp comparison(String opType, DoubleBinaryOperator f, LongBinaryOperator g,
      BiFunction<Dim, Dim, Optional<Dim>> onDims) {
    return new NaryOp(opType, a -> f, a -> g, true, onDims);
  }

  static NaryOp integers(String opType, Function<Attributes, LongBinaryOperator> g) {
    return new NaryOp(opType, null, g, false, null);
  }

  @Override
  public List<TensorType> inferTypes(InferenceContext context) {
    List<Shape> shapes = new ArrayList<>();
    for (int i = 0; i < context.inputCount(); i++) {
      shapes.add(context.inputShape(i));
    }
    DType first = context.inputDType(0);
    if (first.isFloat() ? onFloats == null : onIntegers == null) {
      throw context.error("input type " + first + " is not supported by " + opType);
    }
    return List.of(new TensorType(yieldsBool ? DType.BOOL : first, Broadcast.shapes(context, shapes)));
  }

  @Override
  public List<Tensor> evaluate(EvaluationContext context) {
    List<Tensor> inputs = new ArrayList<>();
    for (int i = 0; i < context.inputCount(); i++) {
      inputs.add(context.input(i));
    }
    DType type = inputs.get(0).dtype();
    DType outType = yieldsBool ? DType.BOOL : type;
    if (type.isFloat()) {
      DoubleBinaryOperator f = onFloats.apply(context.attributes());
      return List.of(ElementwiseKernels.broadcast(inputs, outType, (out, i, in, idx) -> {
        double acc = in.get(0).getDouble(idx[0]);
        for (int k = 1; k < idx.length; k++) {
          acc = f.applyAsDouble(acc, in.get(k).getDouble(idx[k]));
        }
        out.setDouble(i, acc);
      }));
    }
    LongBinaryOperator g = onIntegers.apply(context.attributes());
    return List.of(ElementwiseKernels.broadcast(inputs, outType, (out, i, in, idx) -> {
      long acc = in.get(0).getLong(idx[0]);
      for (int k = 1; k < idx.length; k++) {
        acc = g.applyAsLong(acc, in.get(k).getLong(idx[k]));
      }
      out.setLong(i, acc);
    }));
  }

  @Override
  public Optional<List<SymbolicTensor>> evaluateSymbolic(InferenceContext context) {
    if (onDims == null) {
      return Optional.empty();
    }
    DType outType = yieldsBool ? DType.BOOL : context.inputDType(0);
    if (outType.isFloat()) {
      return Optional.empty();
    }
    return ElementwiseKernels.symbolicInputs(context)
        .flatMap(inputs -> ElementwiseKernels.broadcastSymbolic(inputs, outType, args -> {
          Optional<Dim> acc = Optional.of(args.get(0));
          for (int k = 1; k < args.size() && acc.isPresent(); k++) {
            Dim right = args.get(k);
            acc = acc.flatMap(left -> onDims.apply(left, right));
          }
          return acc;
        }))
        .map(List::of);
  }
}
