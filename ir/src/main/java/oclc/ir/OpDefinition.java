package oclc.ir;

import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Everything oclc knows about one operator, in one place: how its output types follow from its
 * inputs and attributes, how to evaluate it (the reference executor, obviously correct and scalar),
 * and, for ops that take part in shape arithmetic, how to evaluate it over symbolic dims. Register
 * a new definition in {@link OpRegistry}.
 */
public interface OpDefinition {

  /** The ONNX op type, e.g. {@code MatMul}. */
  String opType();

  /** The operator set domain; "" is the default ONNX domain. */
  default String domain() {
    return "";
  }

  /**
   * Output types from input types, attributes, and the inputs known at compile time. Throws a
   * {@link ShapeInferenceException} (through {@link InferenceContext#error}) for invalid inputs.
   */
  List<TensorType> inferTypes(InferenceContext context);

  /** Reference evaluation on concrete tensors. */
  List<Tensor> evaluate(EvaluationContext context);

  /**
   * Evaluation over tensors of dims, for shape arithmetic ({@code Shape}, {@code Gather}, {@code
   * Concat}, …). Empty when some input is unknown or the op does not take part in shape arithmetic.
   */
  default Optional<List<SymbolicTensor>> evaluateSymbolic(InferenceContext context) {
    return Optional.empty();
  }

  /**
   * Why this node cannot be run although its op is known (an input type or attribute value outside
   * what oclc supports); empty when it can.
   */
  default Optional<String> unsupportedReason(InferenceContext context) {
    return Optional.empty();
  }

  /**
   * Whether every element of this node's first output is an element of input {@code input}, moved
   * (a reshape, a transpose, a slice) or converted between integer types: a range that bounds that
   * input's values bounds the output's too. False unless the op says so.
   */
  default boolean copiesValuesOf(Attributes attributes, int input) {
    return false;
  }

  /**
   * Whether this node's one output is its input 0's elements in the same order under another shape
   * (Reshape, Squeeze, Unsqueeze, Flatten, Identity): of a constant it is a view sharing the
   * constant's bytes, so folding it costs nothing however large the constant.
   */
  default boolean viewsFirstInput() {
    return false;
  }

  /**
   * For an op that reads input 0 at the positions input {@code input} holds (Gather's indices), the
   * axis of input 0 they index (negative: counted from the end); empty for other inputs and ops. A
   * kernel cannot refuse a position out of range, so the graph inputs that feed one are checked
   * when bound.
   */
  default OptionalInt indexedAxis(Attributes attributes, int input) {
    return OptionalInt.empty();
  }
}
