package oclc.ir.ops;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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

/** Runs one op of the registry on given input types, known inputs and attributes. */
final class OpHarness {
  static final Dim BATCH = Dim.symbol("batch_size");
  static final Dim SEQ = Dim.symbol("sequence_length");
  static final Dim PAST = Dim.symbol("past_sequence_length");

  private final String opType;
  private final Map<String, Attribute> attributes = new LinkedHashMap<>();
  private final List<TensorType> types = new ArrayList<>();
  private final List<Constant> known = new ArrayList<>();
  private long opset = 23;
  private int outputs = 1;
  private InferenceContext lastContext;

  private OpHarness(String opType) {
    this.opType = opType;
  }

  static OpHarness op(String opType) {
    return new OpHarness(opType);
  }

  static Shape shape(Object... dims) {
    return new Shape(
        Arrays.stream(dims)
            .map(d -> d instanceof Dim dim ? dim : Dim.of(((Number) d).longValue()))
            .toList());
  }

  OpHarness input(DType dtype, Object... dims) {
    types.add(new TensorType(dtype, shape(dims)));
    known.add(null);
    return this;
  }

  /** An input known at compile time. */
  OpHarness constant(Tensor t) {
    types.add(new TensorType(t.dtype(), Shape.of(t.shape())));
    known.add(new Constant.Data(t));
    return this;
  }

  OpHarness ints(long... values) {
    return constant(Tensor.ofLongs(new long[] {values.length}, values));
  }

  /** A 1-D int64 input whose elements are dims (folded shape arithmetic). */
  OpHarness dims(Dim... values) {
    SymbolicTensor s = SymbolicTensor.vector(DType.INT64, List.of(values));
    types.add(new TensorType(DType.INT64, Shape.of(values.length)));
    known.add(new Constant.Symbolic(s));
    return this;
  }

  OpHarness absent() {
    types.add(null);
    known.add(null);
    return this;
  }

  OpHarness attribute(String name, long value) {
    attributes.put(name, new Attribute.IntValue(value));
    return this;
  }

  OpHarness attribute(String name, long... values) {
    attributes.put(name, new Attribute.Ints(values));
    return this;
  }

  OpHarness attribute(String name, String value) {
    attributes.put(name, new Attribute.StringValue(value));
    return this;
  }

  OpHarness attribute(String name, float value) {
    attributes.put(name, new Attribute.FloatValue(value));
    return this;
  }

  OpHarness opset(long version) {
    opset = version;
    return this;
  }

  OpHarness outputs(int count) {
    outputs = count;
    return this;
  }

  private Node node() {
    return node(types.size());
  }

  private Node node(int inputCount) {
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

  List<TensorType> infer() {
    lastContext = new InferenceContext(node(), opset, types, known);
    return definition().inferTypes(lastContext);
  }

  Shape inferShape() {
    return infer().get(0).shape();
  }

  List<ShapeAssertion> assumptions() {
    return lastContext.assumptions();
  }

  SymbolicTensor symbolic() {
    InferenceContext context = new InferenceContext(node(), opset, types, known);
    return definition().evaluateSymbolic(context).orElseThrow().get(0);
  }

  /** Evaluates on concrete inputs, for this op's attributes and opset. */
  List<Tensor> evaluate(Tensor... inputs) {
    return definition()
        .evaluate(new EvaluationContext(node(inputs.length), opset, Arrays.asList(inputs)));
  }
}
