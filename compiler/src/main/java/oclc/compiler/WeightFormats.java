package oclc.compiler;

import java.util.ArrayList;
import java.util.List;
import oclc.artifact.Manifest;
import oclc.ir.Constant;
import oclc.ir.DType;
import oclc.ir.Graph;
import oclc.ir.Node;

/**
 * The weights of a model, as imported, that are not stored as float32: read by MatMulNBits or
 * GatherBlockQuantized (their bits and block), or float16 constants read through a Cast to float
 * ({@code oclc quantize --weights fp16}). What the manifest records and {@code oclc inspect} shows;
 * read from the graph, so it holds for a file quantized by ONNX Runtime's tools too.
 */
public final class WeightFormats {
  private WeightFormats() {}

  public static List<Manifest.WeightFormat> of(Graph graph) {
    List<Manifest.WeightFormat> formats = new ArrayList<>();
    for (Node node : graph.nodes()) {
      switch (node.qualifiedOpType()) {
        case "com.microsoft:MatMulNBits" ->
            formats.add(blocked(node, node.inputs().get(1), "MatMulNBits"));
        case "com.microsoft:GatherBlockQuantized" ->
            formats.add(blocked(node, node.inputs().get(0), "GatherBlockQuantized"));
        case "Cast" -> {
          if (graph.constants().get(node.inputs().getFirst()) instanceof Constant.Data data
              && data.tensor().dtype() == DType.FLOAT16
              && node.attributes().getInt("to", 0) == DType.FLOAT32.onnxCode()) {
            formats.add(
                new Manifest.WeightFormat(
                    node.name(), node.inputs().getFirst(), "fp16 (Cast to float)"));
          }
        }
        default -> {}
      }
    }
    return formats;
  }

  private static Manifest.WeightFormat blocked(Node node, String weight, String op) {
    long bits = node.attributes().getInt("bits", 4);
    long block = node.attributes().getInt("block_size", 128);
    return new Manifest.WeightFormat(node.name(), weight, "int" + bits + " " + op + " b" + block);
  }
}
