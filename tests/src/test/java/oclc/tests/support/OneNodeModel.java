package oclc.tests.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import oclc.ir.DType;
import oclc.ir.Tensor;
import oclc.onnx.proto.OnnxProto.AttributeProto;
import oclc.onnx.proto.OnnxProto.GraphProto;
import oclc.onnx.proto.OnnxProto.ModelProto;
import oclc.onnx.proto.OnnxProto.NodeProto;
import oclc.onnx.proto.OnnxProto.OperatorSetIdProto;
import oclc.onnx.proto.OnnxProto.TensorProto;
import oclc.onnx.proto.OnnxProto.TensorShapeProto;
import oclc.onnx.proto.OnnxProto.TypeProto;
import oclc.onnx.proto.OnnxProto.ValueInfoProto;

/**
 * A model of one node, written with the project's own ONNX protobuf classes, for checking an op
 * against ONNX Runtime and oclc's backends. Dims are numbers or symbol names (dynamic axes), so one
 * file serves several shapes. Weights are initializers; an empty input name is an absent optional
 * input.
 */
public final class OneNodeModel {
  private final NodeProto.Builder node;
  private final GraphProto.Builder graph = GraphProto.newBuilder().setName("one_node");
  private final ModelProto.Builder model = ModelProto.newBuilder().setIrVersion(8);

  private OneNodeModel(String domain, String opType) {
    node = NodeProto.newBuilder().setName(opType + "_0").setOpType(opType).setDomain(domain);
  }

  /** A node of {@code domain} ("" for ONNX's), with the default-domain opset 17 imported too. */
  public static OneNodeModel of(String domain, String opType) {
    OneNodeModel m = new OneNodeModel(domain, opType);
    m.model.addOpsetImport(OperatorSetIdProto.newBuilder().setVersion(17));
    if (!domain.isEmpty()) {
      m.model.addOpsetImport(OperatorSetIdProto.newBuilder().setDomain(domain).setVersion(1));
    }
    return m;
  }

  /** A graph input of {@code dims}, each a Number or a symbol's name. */
  public OneNodeModel input(String name, DType dtype, Object... dims) {
    node.addInput(name);
    graph.addInput(valueInfo(name, dtype, dims));
    return this;
  }

  /** An absent optional input. */
  public OneNodeModel absent() {
    node.addInput("");
    return this;
  }

  /** An input given as an initializer (a weight). */
  public OneNodeModel weight(String name, Tensor value) {
    node.addInput(name);
    graph.addInitializer(initializer(name, value));
    return this;
  }

  /** {@code value} as an initializer named {@code name}. */
  public static TensorProto initializer(String name, Tensor value) {
    byte[] bytes = new byte[value.data().remaining()];
    value.data().duplicate().get(bytes);
    TensorProto.Builder t =
        TensorProto.newBuilder()
            .setName(name)
            .setDataType(value.dtype().onnxCode())
            .setRawData(com.google.protobuf.ByteString.copyFrom(bytes));
    for (long d : value.shape()) {
      t.addDims(d);
    }
    return t.build();
  }

  /** A graph output of {@code dims} (its shape is what the model declares, for inference). */
  public OneNodeModel output(String name, DType dtype, Object... dims) {
    node.addOutput(name);
    graph.addOutput(valueInfo(name, dtype, dims));
    return this;
  }

  /** A node output the graph does not return (an optional output computed but unused). */
  public OneNodeModel unusedOutput(String name) {
    node.addOutput(name);
    return this;
  }

  public OneNodeModel attribute(String name, long value) {
    node.addAttribute(integer(name, value));
    return this;
  }

  public OneNodeModel attribute(String name, float value) {
    node.addAttribute(floating(name, value));
    return this;
  }

  public OneNodeModel attribute(String name, long... values) {
    node.addAttribute(ints(name, values));
    return this;
  }

  /**
   * A node whose last name is its one output and the others its inputs (named after its output),
   * for models spelled node by node.
   */
  public static NodeProto.Builder node(String opType, String... inputsThenOutput) {
    String output = inputsThenOutput[inputsThenOutput.length - 1];
    NodeProto.Builder n = NodeProto.newBuilder().setOpType(opType).setName(output);
    for (int i = 0; i < inputsThenOutput.length - 1; i++) {
      n.addInput(inputsThenOutput[i]);
    }
    return n.addOutput(output);
  }

  public static AttributeProto integer(String name, long value) {
    return AttributeProto.newBuilder()
        .setName(name)
        .setType(AttributeProto.AttributeType.INT)
        .setI(value)
        .build();
  }

  public static AttributeProto floating(String name, float value) {
    return AttributeProto.newBuilder()
        .setName(name)
        .setType(AttributeProto.AttributeType.FLOAT)
        .setF(value)
        .build();
  }

  public static AttributeProto ints(String name, long... values) {
    AttributeProto.Builder a =
        AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INTS);
    for (long v : values) {
      a.addInts(v);
    }
    return a.build();
  }

  /** Writes the model to {@code directory/name.onnx} and returns the file. */
  public Path write(Path directory, String name) {
    Path file = directory.resolve(name + ".onnx");
    graph.addNode(node);
    try {
      Files.write(file, model.setGraph(graph).build().toByteArray());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return file;
  }

  /** A graph input or output of {@code dims}, each a Number or a symbol's name. */
  public static ValueInfoProto valueInfo(String name, DType dtype, Object... dims) {
    TensorShapeProto.Builder shape = TensorShapeProto.newBuilder();
    for (Object d : dims) {
      shape.addDim(
          d instanceof Number n
              ? TensorShapeProto.Dimension.newBuilder().setDimValue(n.longValue())
              : TensorShapeProto.Dimension.newBuilder().setDimParam(d.toString()));
    }
    return ValueInfoProto.newBuilder()
        .setName(name)
        .setType(
            TypeProto.newBuilder()
                .setTensorType(
                    TypeProto.Tensor.newBuilder().setElemType(dtype.onnxCode()).setShape(shape)))
        .build();
  }
}
