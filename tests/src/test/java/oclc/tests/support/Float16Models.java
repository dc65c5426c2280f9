package oclc.tests.support;

import com.google.protobuf.ByteString;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import oclc.compiler.conformance.TestDataSet;
import oclc.ir.DType;
import oclc.ir.Tensor;
import oclc.onnx.OnnxTensors;
import oclc.onnx.proto.OnnxProto.AttributeProto;
import oclc.onnx.proto.OnnxProto.GraphProto;
import oclc.onnx.proto.OnnxProto.ModelProto;
import oclc.onnx.proto.OnnxProto.NodeProto;
import oclc.onnx.proto.OnnxProto.TensorProto;
import oclc.onnx.proto.OnnxProto.TypeProto;
import oclc.onnx.proto.OnnxProto.ValueInfoProto;

/**
 * A float32 model rewritten in float16, as a torch {@code .half()} export has it: every float32
 * initializer, constant (Constant's and ConstantOfShape's value), Cast to float32, graph input,
 * output and value_info becomes float16, integer tensors stay. A finite float32 beyond float16's
 * range becomes float16's largest of its sign (a mask written as {@code finfo(float32).min} is
 * {@code finfo(float16).min} in a half export), not an infinity. Written with the project's own
 * protobuf classes.
 */
public final class Float16Models {
  private static final int FLOAT = TensorProto.DataType.FLOAT_VALUE;
  private static final int FLOAT16 = TensorProto.DataType.FLOAT16_VALUE;

  /** float16's largest finite value. */
  private static final float FLOAT16_MAX = 65504f;

  private Float16Models() {}

  /** {@code source} (an ONNX file) rewritten in float16 into {@code target}. */
  public static void convert(Path source, Path target) {
    try {
      ModelProto model = ModelProto.parseFrom(Files.readAllBytes(source));
      ModelProto.Builder half = model.toBuilder().setGraph(convert(model.getGraph()));
      Files.createDirectories(target.toAbsolutePath().getParent());
      Files.write(target, half.build().toByteArray());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** What computes a test set's expected outputs from its inputs. */
  public interface Oracle {
    Map<String, Tensor> run(Path model, Map<String, Tensor> inputs) throws Exception;
  }

  /**
   * A backend-test folder in float16, into {@code target}: its model converted, each test set's
   * float32 inputs rounded to float16 and its expected outputs those {@code oracle} computes on the
   * converted file.
   */
  public static void convertFolder(Path source, Path target, Oracle oracle) throws Exception {
    Path model = target.resolve("model.onnx");
    convert(source.resolve("model.onnx"), model);
    List<String> inputs = valueNames(source.resolve("model.onnx"), true);
    List<String> outputs = valueNames(source.resolve("model.onnx"), false);
    for (Path set : TestDataSet.folders(source)) {
      Path out = Files.createDirectories(target.resolve(set.getFileName()));
      Map<String, Tensor> feeds = new LinkedHashMap<>();
      for (var input : TestDataSet.read(set, inputs, outputs).inputs().entrySet()) {
        feeds.put(input.getKey(), toFloat16(input.getValue()));
      }
      int k = 0;
      for (var input : feeds.entrySet()) {
        OnnxTensors.write(out.resolve("input_" + k++ + ".pb"), input.getKey(), input.getValue());
      }
      Map<String, Tensor> expected = oracle.run(model, feeds);
      for (int o = 0; o < outputs.size(); o++) {
        String name = outputs.get(o);
        OnnxTensors.write(out.resolve("output_" + o + ".pb"), name, expected.get(name));
      }
    }
  }

  /** The graph's inputs that are not initializers (or its outputs), in order. */
  private static List<String> valueNames(Path file, boolean inputs) throws IOException {
    GraphProto graph = ModelProto.parseFrom(Files.readAllBytes(file)).getGraph();
    if (!inputs) {
      return graph.getOutputList().stream().map(ValueInfoProto::getName).toList();
    }
    Set<String> weights = new HashSet<>();
    graph.getInitializerList().forEach(t -> weights.add(t.getName()));
    return graph.getInputList().stream()
        .map(ValueInfoProto::getName)
        .filter(name -> !weights.contains(name))
        .toList();
  }

  /** A float32 tensor rounded to float16 (clamped to its finite range); any other one as it is. */
  public static Tensor toFloat16(Tensor tensor) {
    if (tensor.dtype() != DType.FLOAT32) {
      return tensor;
    }
    Tensor half = Tensor.allocate(DType.FLOAT16, tensor.shape());
    for (int i = 0; i < tensor.size(); i++) {
      half.setFloat(i, clamp(tensor.getFloat(i)));
    }
    return half;
  }

  private static GraphProto convert(GraphProto graph) {
    GraphProto.Builder half = graph.toBuilder();
    half.clearInitializer().clearNode().clearInput().clearOutput().clearValueInfo();
    graph.getInitializerList().forEach(t -> half.addInitializer(convert(t)));
    graph.getNodeList().forEach(n -> half.addNode(convert(n)));
    graph.getInputList().forEach(v -> half.addInput(convert(v)));
    graph.getOutputList().forEach(v -> half.addOutput(convert(v)));
    graph.getValueInfoList().forEach(v -> half.addValueInfo(convert(v)));
    return half.build();
  }

  private static NodeProto convert(NodeProto node) {
    NodeProto.Builder half = node.toBuilder().clearAttribute();
    for (AttributeProto attribute : node.getAttributeList()) {
      AttributeProto.Builder a = attribute.toBuilder();
      if (attribute.hasT()) {
        a.setT(convert(attribute.getT()));
      }
      if (attribute.getGraphsCount() > 0 || attribute.hasG()) {
        throw new IllegalArgumentException(
            "node '" + node.getName() + "' has a subgraph, which this converter does not convert");
      }
      if (node.getOpType().equals("Cast") && attribute.getName().equals("to")) {
        if (attribute.getI() == FLOAT) {
          a.setI(FLOAT16);
        }
      }
      half.addAttribute(a);
    }
    return half.build();
  }

  private static ValueInfoProto convert(ValueInfoProto value) {
    TypeProto type = value.getType();
    if (!type.hasTensorType() || type.getTensorType().getElemType() != FLOAT) {
      return value;
    }
    TypeProto.Builder half = type.toBuilder();
    half.getTensorTypeBuilder().setElemType(FLOAT16);
    return value.toBuilder().setType(half).build();
  }

  private static TensorProto convert(TensorProto tensor) {
    if (tensor.getDataType() != FLOAT) {
      return tensor;
    }
    if (tensor.getDataLocation() == TensorProto.DataLocation.EXTERNAL) {
      throw new IllegalArgumentException(
          "tensor '"
              + tensor.getName()
              + "' has external data, which this converter does not read");
    }
    List<Float> typed = tensor.getFloatDataList();
    ByteBuffer raw = tensor.getRawData().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
    int count = tensor.hasRawData() ? raw.remaining() / Float.BYTES : typed.size();
    ByteBuffer half = ByteBuffer.allocate(count * 2).order(ByteOrder.LITTLE_ENDIAN);
    for (int i = 0; i < count; i++) {
      float value = tensor.hasRawData() ? raw.getFloat(i * Float.BYTES) : typed.get(i);
      half.putShort(i * 2, Float.floatToFloat16(clamp(value)));
    }
    return tensor.toBuilder()
        .setDataType(FLOAT16)
        .clearFloatData()
        .setRawData(ByteString.copyFrom(half.array()))
        .build();
  }

  private static float clamp(float value) {
    return Float.isFinite(value) ? Math.max(-FLOAT16_MAX, Math.min(FLOAT16_MAX, value)) : value;
  }
}
