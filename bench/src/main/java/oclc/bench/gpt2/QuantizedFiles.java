package oclc.bench.gpt2;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import oclc.onnx.OnnxModelLoader;
import oclc.onnx.proto.OnnxProto.AttributeProto;
import oclc.onnx.proto.OnnxProto.ModelProto;
import oclc.onnx.proto.OnnxProto.NodeProto;
import oclc.onnx.quantize.WeightFormat;
import oclc.onnx.quantize.WeightOptions;
import oclc.onnx.quantize.WeightQuantizer;

/**
 * The files one weight format is benchmarked on, written once as {@code oclc quantize} writes them:
 * the quantized model (every engine reads it; its MatMulNBits at accuracy_level 0, float32
 * arithmetic), and for int8 and int4 a copy at accuracy_level 4, which lets ONNX Runtime multiply
 * in int8 (its fastest CPU path, and the one a deployment would pick).
 */
record QuantizedFiles(WeightFormat format, Path exact, Path fastOrt) {
  static final String ACCURACY_LEVEL = "accuracy_level";
  static final int ORT_INT8_ARITHMETIC = 4;

  static QuantizedFiles write(
      Path model, WeightFormat format, int block, Path folder, PrintWriter log) {
    String stem = model.getFileName().toString().replaceFirst("\\.onnx$", "");
    Path exact = folder.resolve(stem + "-" + format.label() + ".onnx");
    log.printf("quantizing %s to %s (block %d) into %s ...%n", model, format.label(), block, exact);
    WeightQuantizer.Result result =
        WeightQuantizer.quantize(
            OnnxModelLoader.parse(model),
            model,
            new WeightOptions(format, block, List.of()),
            WeightQuantizer.Listener.SILENT);
    WeightQuantizer.write(result.model(), exact);
    log.printf("%s: weights %d -> %d bytes%n", exact, result.bytesBefore(), result.bytesAfter());
    Path fastOrt = null;
    if (format.blockQuantized()) {
      fastOrt = folder.resolve(stem + "-" + format.label() + "-acc4.onnx");
      WeightQuantizer.write(withAccuracyLevel(result.model(), ORT_INT8_ARITHMETIC), fastOrt);
    }
    return new QuantizedFiles(format, exact, fastOrt);
  }

  /** {@code model} with every MatMulNBits at {@code level} (any level it had replaced). */
  static ModelProto withAccuracyLevel(ModelProto model, int level) {
    ModelProto.Builder copy = model.toBuilder();
    var graph = copy.getGraphBuilder();
    for (int i = 0; i < graph.getNodeCount(); i++) {
      NodeProto node = graph.getNode(i);
      if (!node.getOpType().equals("MatMulNBits")) {
        continue;
      }
      NodeProto.Builder changed = node.toBuilder().clearAttribute();
      node.getAttributeList().stream()
          .filter(a -> !a.getName().equals(ACCURACY_LEVEL))
          .forEach(changed::addAttribute);
      changed.addAttribute(
          AttributeProto.newBuilder()
              .setName(ACCURACY_LEVEL)
              .setType(AttributeProto.AttributeType.INT)
              .setI(level));
      graph.setNode(i, changed);
    }
    return copy.build();
  }
}
