package oclc.onnx;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import oclc.ir.Attribute;
import oclc.ir.Attributes;
import oclc.ir.Constant;
import oclc.ir.DType;
import oclc.ir.Dim;
import oclc.ir.Graph;
import oclc.ir.Node;
import oclc.ir.Shape;
import oclc.ir.TensorType;
import oclc.ir.UnsupportedFeatureException;
import oclc.ir.ValueInfo;
import oclc.onnx.proto.OnnxProto.AttributeProto;
import oclc.onnx.proto.OnnxProto.GraphProto;
import oclc.onnx.proto.OnnxProto.NodeProto;
import oclc.onnx.proto.OnnxProto.TensorProto;
import oclc.onnx.proto.OnnxProto.TensorShapeProto;
import oclc.onnx.proto.OnnxProto.TypeProto;
import oclc.onnx.proto.OnnxProto.ValueInfoProto;

/** GraphProto → {@link Graph}: values, nodes, attributes, initializers and symbolic dims. */
final class GraphConverter {
  private final java.nio.file.Path modelFile;
  private final TensorDecoder tensors;
  private final Map<String, Long> opsets;

  GraphConverter(java.nio.file.Path modelFile, Map<String, Long> opsets) {
    this.modelFile = modelFile;
    this.tensors = new TensorDecoder(modelFile);
    this.opsets = opsets;
  }

  Graph convert(GraphProto proto) {
    Map<String, Constant> constants = new LinkedHashMap<>();
    for (TensorProto initializer : proto.getInitializerList()) {
      constants.put(initializer.getName(), new Constant.Data(tensors.decode(initializer)));
    }
    if (proto.getSparseInitializerCount() > 0) {
      throw new UnsupportedFeatureException(
          modelFile
              + ": sparse initializers are not supported ("
              + proto.getSparseInitializer(0).getValues().getName()
              + ")");
    }
    List<ValueInfo> inputs = new ArrayList<>();
    for (ValueInfoProto in : proto.getInputList()) {
      if (!constants.containsKey(in.getName())) { // old models also list initializers as inputs
        inputs.add(valueInfo(in, "graph input"));
      }
    }
    List<ValueInfo> outputs = new ArrayList<>();
    for (ValueInfoProto out : proto.getOutputList()) {
      outputs.add(valueInfo(out, "graph output"));
    }
    List<Node> nodes = new ArrayList<>();
    Set<String> names = new HashSet<>();
    for (int i = 0; i < proto.getNodeCount(); i++) {
      nodes.add(node(proto.getNode(i), i, names));
    }
    return new Graph(
        proto.getName(), inputs, outputs, nodes, constants, Map.of(), List.of(), opsets);
  }

  private Node node(NodeProto proto, int index, Set<String> usedNames) {
    String name = proto.getName().isEmpty() ? proto.getOpType() + "_" + index : proto.getName();
    String unique = name;
    for (int k = 2; !usedNames.add(unique); k++) {
      unique = name + "_" + k;
    }
    Map<String, Attribute> attributes = new LinkedHashMap<>();
    for (AttributeProto a : proto.getAttributeList()) {
      attributes.put(a.getName(), attribute(a, unique));
    }
    String domain = proto.getDomain().equals("ai.onnx") ? "" : proto.getDomain();
    return new Node(
        unique,
        domain,
        proto.getOpType(),
        proto.getInputList(),
        proto.getOutputList(),
        new Attributes(attributes));
  }

  private Attribute attribute(AttributeProto a, String nodeName) {
    return switch (a.getType()) {
      case FLOAT -> new Attribute.FloatValue(a.getF());
      case INT -> new Attribute.IntValue(a.getI());
      case STRING -> new Attribute.StringValue(a.getS().toStringUtf8());
      case TENSOR -> new Attribute.TensorValue(tensors.decode(a.getT()));
      case GRAPH -> new Attribute.GraphValue(convert(a.getG()));
      case TYPE_PROTO -> new Attribute.TypeValue(tensorType(a.getTp(), "attribute " + a.getName()));
      case FLOATS -> {
        float[] values = new float[a.getFloatsCount()];
        for (int i = 0; i < values.length; i++) {
          values[i] = a.getFloats(i);
        }
        yield new Attribute.Floats(values);
      }
      case INTS ->
          new Attribute.Ints(a.getIntsList().stream().mapToLong(Long::longValue).toArray());
      case STRINGS ->
          new Attribute.Strings(a.getStringsList().stream().map(s -> s.toStringUtf8()).toList());
      case TENSORS ->
          new Attribute.Tensors(a.getTensorsList().stream().map(tensors::decode).toList());
      case GRAPHS -> new Attribute.Graphs(a.getGraphsList().stream().map(this::convert).toList());
      case TYPE_PROTOS ->
          new Attribute.TypeValues(
              a.getTypeProtosList().stream()
                  .map(t -> tensorType(t, "attribute " + a.getName()))
                  .toList());
      case SPARSE_TENSOR, SPARSE_TENSORS ->
          throw new UnsupportedFeatureException(
              modelFile
                  + ": node '"
                  + nodeName
                  + "' has a sparse tensor attribute '"
                  + a.getName()
                  + "', which oclc does not support");
      case UNDEFINED ->
          throw new ModelLoadException(
              modelFile + ": node '" + nodeName + "' attribute '" + a.getName() + "' has no type");
    };
  }

  private ValueInfo valueInfo(ValueInfoProto proto, String role) {
    return new ValueInfo(
        proto.getName(), tensorType(proto.getType(), role + " '" + proto.getName() + "'"));
  }

  private TensorType tensorType(TypeProto type, String what) {
    if (!type.hasTensorType()) {
      throw new UnsupportedFeatureException(
          modelFile
              + ": "
              + what
              + " is a "
              + type.getValueCase()
              + ", not a tensor; oclc supports tensors only");
    }
    TypeProto.Tensor t = type.getTensorType();
    DType dtype = tensors.dtypeOf(t.getElemType(), what);
    if (!t.hasShape()) {
      throw new UnsupportedFeatureException(
          modelFile + ": " + what + " has no shape (unknown rank)");
    }
    List<Dim> dims = new ArrayList<>();
    List<TensorShapeProto.Dimension> protoDims = t.getShape().getDimList();
    for (int axis = 0; axis < protoDims.size(); axis++) {
      TensorShapeProto.Dimension d = protoDims.get(axis);
      dims.add(
          switch (d.getValueCase()) {
            case DIM_VALUE -> Dim.of(d.getDimValue());
            case DIM_PARAM -> Dim.symbol(d.getDimParam());
            case VALUE_NOT_SET ->
                Dim.symbol(what.substring(what.indexOf('\'') + 1).replace("'", "") + "_dim" + axis);
          });
    }
    return new TensorType(dtype, new Shape(dims));
  }
}
