package oclc.ir.ops;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.DoubleBinaryOperator;
import java.util.function.Function;
import java.util.function.LongBinaryOperator;
import java.util.function.Predicate;
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
 * An elementwise op of two or more broadcast inputs of one element type (the binary ops, and the
 * variadic Sum/Max/Min), folded left to right. Floats are computed in double; integers in long,
 * never through double, so that int64 stays exact, with the element type at hand so that unsigned
 * types can divide and compare as unsigned. Optionally the op has a meaning over dims, for shape
 * arithmetic.
 *
 * @param accepts the input element types the op is defined for
 * @param onFloats the function on floats, given the node's attributes; null when floats are not
 *     accepted
 * @param onIntegers the function on integers and bools (as 0/1), given the attributes and type
 * @param yieldsBool whether the output is bool rather than the inputs' type
 * @param onDims the function over dims; null when the op takes no part in shape arithmetic
 */
public record NaryOp(
    String opType,
    Predicate<DType> accepts,
    Function<Attributes, DoubleBinaryOperator> onFloats,
    IntegerOperator onIntegers,
    boolean yieldsBool,
    DimOperator onDims)
    implements OpDefinition {

  /** The integer meaning of the op for one element type. */
  public interface IntegerOperator {
    LongBinaryOperator forType(Attributes attributes, DType type);
  }

  /** The meaning over dims; empty where it cannot be decided for every value of the symbols. */
  public interface DimOperator {
    Optional<Dim> apply(Attributes attributes, Dim left, Dim right);
  }

  static boolean numeric(DType type) {
    return type.isFloat() || type.isInteger();
  }

  /** A numeric op of the inputs' type, the same function on every integer type. */
  static NaryOp arithmetic(
      String opType, DoubleBinaryOperator f, LongBinaryOperator g, DimOperator onDims) {
    return new NaryOp(opType, NaryOp::numeric, a -> f, (a, t) -> g, false, onDims);
  }

  @Override
  public List<TensorType> inferTypes(InferenceContext context) {
    List<Shape> shapes = new ArrayList<>();
    DType type = context.inputDType(0);
    for (int i = 0; i < context.inputCount(); i++) {
      if (context.inputDType(i) != type) {
        throw context.error(
            "input "
                + i
                + " has element type "
                + context.inputDType(i)
                + " but input 0 has "
                + type
                + "; "
                + opType
                + " needs one type for all inputs");
      }
      shapes.add(context.inputShape(i));
    }
    if (!accepts.test(type)) {
      throw context.error(opType + " is not defined for element type " + type);
    }
    return List.of(
        new TensorType(yieldsBool ? DType.BOOL : type, Broadcast.shapes(context, shapes)));
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
      return List.of(
          ElementwiseKernels.broadcast(
              inputs,
              outType,
              (out, i, in, idx) -> {
                double accumulator = in.get(0).getDouble(idx[0]);
                for (int k = 1; k < idx.length; k++) {
                  accumulator = f.applyAsDouble(accumulator, in.get(k).getDouble(idx[k]));
                }
                out.setDouble(i, accumulator);
              }));
    }
    LongBinaryOperator g = onIntegers.forType(context.attributes(), type);
    try {
      return List.of(
          ElementwiseKernels.broadcast(
              inputs,
              outType,
              (out, i, in, idx) -> {
                long accumulator = in.get(0).getLong(idx[0]);
                for (int k = 1; k < idx.length; k++) {
                  accumulator = g.applyAsLong(accumulator, in.get(k).getLong(idx[k]));
                }
                out.setLong(i, accumulator);
              }));
    } catch (ArithmeticException e) {
      throw context.error("integer " + e.getMessage() + " (the result is undefined in ONNX)");
    }
  }

  @Override
  public Optional<List<SymbolicTensor>> evaluateSymbolic(InferenceContext context) {
    if (onDims == null || !context.inputDType(0).isInteger() && !context.inputDType(0).isBool()) {
      return Optional.empty();
    }
    DType outType = yieldsBool ? DType.BOOL : context.inputDType(0);
    Attributes attributes = context.attributes();
    return ElementwiseKernels.symbolicInputs(context)
        .flatMap(
            inputs ->
                ElementwiseKernels.broadcastSymbolic(
                    inputs,
                    outType,
                    args -> {
                      Optional<Dim> accumulator = Optional.of(args.get(0));
                      for (int k = 1; k < args.size() && accumulator.isPresent(); k++) {
                        Dim right = args.get(k);
                        accumulator =
                            accumulator.flatMap(left -> onDims.apply(attributes, left, right));
                      }
                      return accumulator;
                    }))
        .map(List::of);
  }
}
