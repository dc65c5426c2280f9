package oclc.ir.ops;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import oclc.ir.Attribute;
import oclc.ir.Attributes;
import oclc.ir.Constant;
import oclc.ir.DType;
import oclc.ir.Dim;
import oclc.ir.EvaluationContext;
import oclc.ir.InferenceContext;
import oclc.ir.Node;
import oclc.ir.OpDefinition;
import oclc.ir.OpRegistry;
import oclc.ir.Shape;
import oclc.ir.ShapeAssertion;
import oclc.ir.SymbolicTensor;
import oclc.ir.Tensor;
import oclc.ir.TensorType;

/**
 * One node of a shape op, built from a {@link Node}: inputs are unknown values of a type, constant
 * tensors, or folded shape arithmetic (tensors of dims), so that one op's symbolic result can feed
 * the next as it does in the infer-and-fold pass.
 */
final class ShapeOpCase {
  static final Dim BATCH = Dim.symbol("batch_size");
  static final Dim SEQ = Dim.symbol("sequence_length");
  static final Dim PAST = Dim.symbol("past_sequence_length");

  private final String opType;
  private final Map<String, Attribute> attributes = new LinkedHashMap<>();
  private final List<TensorType> types = new ArrayList<>();
  private final List<Constant> known = new ArrayList<>();
  private long opset = 17;
  private int outputs = 1;
  private InferenceContext lastContext;

  private ShapeOpCase(String opType) {
    this.opType = opType;
  }

  static ShapeOpCase node(String opType) {
    return new ShapeOpCase(opType);
  }

  static Shape shape(Object... dims) {
    return new Shape(
        Arrays.stream(dims)
            .map(d -> d instanceof Dim dim ? dim : Dim.of(((Number) d).longValue()))
            .toList());
  }

  static Tensor longs(long... values) {
    return Tensor.ofLongs(new long[] {values.length}, values);
  }

  static Tensor floats(long[] shape, float... values) {
    return Tensor.ofFloats(shape, values);
  }

  /** A value known only at run time. */
  ShapeOpCase input(DType dtype, Object... dims) {
    types.add(new TensorType(dtype, shape(dims)));
    known.add(null);
    return this;
  }

  /** A value known at compile time. */
  ShapeOpCase constant(Tensor t) {
    types.add(new TensorType(t.dtype(), Shape.of(t.shape())));
    known.add(new Constant.Data(t));
    return this;
  }

  ShapeOpCase ints(long... values) {
    return constant(longs(values));
  }

  /** Folded shape arithmetic: a tensor of dims. */
  ShapeOpCase symbolic(SymbolicTensor s) {
    types.add(new TensorType(s.dtype(), Shape.of(s.shape())));
    known.add(
        s.toConstant().<Constant>map(Constant.Data::new).orElseGet(() -> new Constant.Symbolic(s)));
    return this;
  }

  ShapeOpCase dims(Dim... values) {
    return symbolic(SymbolicTensor.vector(DType.INT64, List.of(values)));
  }

  ShapeOpCase absent() {
    types.add(null);
    known.add(null);
    return this;
  }

  ShapeOpCase attribute(String name, Attribute value) {
    attributes.put(name, value);
    return this;
  }

  ShapeOpCase attribute(String name, long value) {
    return attribute(name, new Attribute.IntValue(value));
  }

  ShapeOpCase attribute(String name, long[] values) {
    return attribute(name, new Attribute.Ints(values));
  }

  ShapeOpCase attribute(String name, Tensor value) {
    return attribute(name, new Attribute.TensorValue(value));
  }

  ShapeOpCase opset(long version) {
    opset = version;
    return this;
  }

  ShapeOpCase outputs(int count) {
    outputs = count;
    return this;
  }

  private Node toNode(int inputCount) {
    List<String> inputNames = new ArrayList<>();
    for (int i = 0; i < inputCount; i++) {
      inputNames.add(i < types.size() && types.get(i) == null ? "" : "in" + i);
    }
    List<String> outputNames = new ArrayList<>();
    for (int i = 0; i < outputs; i++) {
      outputNames.add("out" + i);
    }
    return new Node(
        "the_" + opType, "", opType, inputNames, outputNames, new Attributes(attributes));
  }

  private OpDefinition definition() {
    return OpRegistry.standard().find("", opType).orElseThrow();
  }

  private InferenceContext context() {
    lastContext = new InferenceContext(toNode(types.size()), opset, types, known);
    return lastContext;
  }

  List<TensorType> infer() {
    return definition().inferTypes(context());
  }

  Shape inferShape() {
    return infer().get(0).shape();
  }

  /** What the last {@link #infer} assumed about the symbols. */
  List<ShapeAssertion> assumptions() {
    return lastContext.assumptions();
  }

  Optional<String> unsupportedReason() {
    return definition().unsupportedReason(context());
  }

  /** The first output evaluated over dims; fails when the op does not fold. */
  SymbolicTensor fold() {
    return foldAll().orElseThrow(() -> new AssertionError(opType + " did not fold")).get(0);
  }

  Optional<List<SymbolicTensor>> foldAll() {
    return definition().evaluateSymbolic(context());
  }

  List<Tensor> evaluate(Tensor... inputs) {
    return definition()
        .evaluate(new EvaluationContext(toNode(inputs.length), opset, Arrays.asList(inputs)));
  }

  Tensor evaluateOne(Tensor... inputs) {
    return evaluate(inputs).get(0);
  }
}
