package oclc.ir.ops;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.DoubleUnaryOperator;
import java.util.function.Function;
import java.util.function.LongUnaryOperator;
import java.util.function.Predicate;
import oclc.ir.Attributes;
import oclc.ir.DType;
import oclc.ir.Dim;
import oclc.ir.EvaluationContext;
import oclc.ir.InferenceContext;
import oclc.ir.OpDefinition;
import oclc.ir.SymbolicTensor;
import oclc.ir.Tensor;
import oclc.ir.TensorType;

/**
 * An elementwise op of one input. Floats are computed in double, integers in long with the element
 * type at hand (uint64 is stored as raw bits, so Abs and Sign must know it is unsigned).
 *
 * @param accepts the input element types the op is defined for
 * @param onFloats the function on floats, given the node's attributes; null when floats are not
 *     accepted
 * @param onIntegers the function on integers and bools (as 0/1) of a type; null when not accepted
 * @param yieldsBool whether the output is bool rather than the input's type
 * @param onDims the function over dims, for shape arithmetic; null when the op takes no part
 * @param scalars the number attributes {@code onFloats} computes with, in the order the kernels
 *     take them
 */
public record UnaryOp(
    String opType,
    Predicate<DType> accepts,
    Function<Attributes, DoubleUnaryOperator> onFloats,
    Function<DType, LongUnaryOperator> onIntegers,
    boolean yieldsBool,
    Function<Dim, Optional<Dim>> onDims,
    List<ScalarAttribute> scalars)
    implements OpDefinition {

  public UnaryOp {
    scalars = List.copyOf(scalars);
  }

  UnaryOp(
      String opType,
      Predicate<DType> accepts,
      Function<Attributes, DoubleUnaryOperator> onFloats,
      Function<DType, LongUnaryOperator> onIntegers,
      boolean yieldsBool,
      Function<Dim, Optional<Dim>> onDims) {
    this(opType, accepts, onFloats, onIntegers, yieldsBool, onDims, List.of());
  }

  static UnaryOp floats(String opType, DoubleUnaryOperator f) {
    return withAttributes(opType, attributes -> f);
  }

  static UnaryOp withAttributes(String opType, Function<Attributes, DoubleUnaryOperator> f) {
    return new UnaryOp(opType, DType::isFloat, f, null, false, null);
  }

  /**
   * An op of floats whose function takes the values of number attributes ({@code scalars}, in their
   * order) on the node.
   */
  static UnaryOp withScalars(
      String opType, List<ScalarAttribute> scalars, Function<double[], DoubleUnaryOperator> f) {
    return onFloatsWithScalars(opType, scalars, f, false);
  }

  /** An op of floats and integers whose integer meaning depends on the type. */
  static UnaryOp numeric(
      String opType,
      DoubleUnaryOperator f,
      Function<DType, LongUnaryOperator> onIntegers,
      Function<Dim, Optional<Dim>> onDims) {
    return new UnaryOp(opType, NaryOp::numeric, attributes -> f, onIntegers, false, onDims);
  }

  /** A predicate on floats: IsNaN, IsInf; its function takes the values of {@code scalars}. */
  static UnaryOp test(
      String opType, List<ScalarAttribute> scalars, Function<double[], DoubleUnaryOperator> f) {
    return onFloatsWithScalars(opType, scalars, f, true);
  }

  private static UnaryOp onFloatsWithScalars(
      String opType,
      List<ScalarAttribute> scalars,
      Function<double[], DoubleUnaryOperator> f,
      boolean yieldsBool) {
    return new UnaryOp(
        opType,
        DType::isFloat,
        attributes -> f.apply(ScalarAttribute.valuesIn(scalars, attributes)),
        null,
        yieldsBool,
        null,
        scalars);
  }

  @Override
  public List<TensorType> inferTypes(InferenceContext context) {
    TensorType in = context.inputType(0);
    if (!accepts.test(in.dtype())) {
      throw context.error(opType + " is not defined for element type " + in.dtype());
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
      LongUnaryOperator g = onIntegers.apply(x.dtype());
      for (int i = 0; i < x.size(); i++) {
        y.setLong(i, g.applyAsLong(x.getLong(i)));
      }
    }
    return List.of(y);
  }

  @Override
  public Optional<List<SymbolicTensor>> evaluateSymbolic(InferenceContext context) {
    Optional<SymbolicTensor> input = context.symbolicInput(0);
    if (onDims == null || input.isEmpty()) {
      return Optional.empty();
    }
    List<Dim> elements = new ArrayList<>();
    for (Dim d : input.get().elements()) {
      Optional<Dim> result = onDims.apply(d);
      if (result.isEmpty()) {
        return Optional.empty();
      }
      elements.add(result.get());
    }
    DType outType = yieldsBool ? DType.BOOL : input.get().dtype();
    return Optional.of(List.of(new SymbolicTensor(outType, input.get().shape(), elements)));
  }
}
