package oclc.onnx.quantize;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import oclc.ir.Tensor;
import oclc.onnx.OnnxModelLoader;
import oclc.onnx.OnnxTensors;
import oclc.onnx.proto.OnnxProto.ModelProto;
import oclc.onnx.proto.OnnxProto.NodeProto;
import oclc.onnx.proto.OnnxProto.TensorProto;
import org.junit.jupiter.api.Test;

/** What the rewrite makes of the example GPT-2, for a file and for a model compiled at once. */
class WeightQuantizerTest {
  private static final Path MODEL = Path.of("..", "examples", "gpt2-tiny-past", "model.onnx");

  private static WeightQuantizer.Result quantized(WeightOptions options) {
    return WeightQuantizer.quantize(
        OnnxModelLoader.parse(MODEL), MODEL, options, WeightQuantizer.Listener.SILENT);
  }

  private static long count(ModelProto model, String opType) {
    return model.getGraph().getNodeList().stream()
        .filter(n -> n.getOpType().equals(opType))
        .count();
  }

  @Test
  void int4ReplacesEveryProductAndEmbeddingAndImportsTheMicrosoftDomain() {
    ModelProto original = OnnxModelLoader.parse(MODEL);
    WeightQuantizer.Result result = quantized(new WeightOptions(WeightFormat.INT4, 32, List.of()));
    ModelProto model = result.model();
    assertEquals(
        count(original, "Gemm") + count(original, "MatMul") - count(model, "MatMul"),
        count(model, "MatMulNBits"));
    assertEquals(0, count(model, "Gemm"));
    assertEquals(2, count(model, "GatherBlockQuantized"), "wte and wpe");
    assertTrue(
        model.getOpsetImportList().stream().anyMatch(o -> o.getDomain().equals("com.microsoft")));
    assertFalse(
        model.getGraph().getInitializerList().stream()
            .anyMatch(t -> t.getName().equals("wte.weight")),
        "the float32 table is gone");
    assertTrue(
        result.weights().stream().anyMatch(w -> w.format().contains("shares wte.weight_Q4")));
  }

  @Test
  void fp16IsAFloat16FileBehindCastsOrFloat16ValuesInFloat32WhenCompiled() {
    ModelProto file = quantized(new WeightOptions(WeightFormat.FP16, 32, List.of())).model();
    TensorProto half =
        file.getGraph().getInitializerList().stream()
            .filter(t -> t.getName().equals("wte.weight_fp16"))
            .findFirst()
            .orElseThrow();
    assertEquals(TensorProto.DataType.FLOAT16_VALUE, half.getDataType());
    NodeProto cast = file.getGraph().getNode(0);
    assertEquals("Cast", cast.getOpType());

    ModelProto compiled =
        quantized(new WeightOptions(WeightFormat.FP16, 32, List.of()).whenCompiling()).model();
    assertEquals(count(OnnxModelLoader.parse(MODEL), "Cast"), count(compiled, "Cast"));
    TensorProto rounded =
        compiled.getGraph().getInitializerList().stream()
            .filter(t -> t.getName().equals("wte.weight"))
            .findFirst()
            .orElseThrow();
    Tensor values = OnnxTensors.decode(MODEL, rounded);
    Tensor original =
        OnnxTensors.decode(
            MODEL,
            OnnxModelLoader.parse(MODEL).getGraph().getInitializerList().stream()
                .filter(t -> t.getName().equals("wte.weight"))
                .findFirst()
                .orElseThrow());
    boolean anyChanged = false;
    for (int i = 0; i < values.size(); i++) {
      float v = original.getFloat(i);
      assertEquals(Float.float16ToFloat(Float.floatToFloat16(v)), values.getFloat(i));
      anyChanged |= values.getFloat(i) != v;
    }
    assertTrue(anyChanged, "float32 values that float16 cannot hold were rounded");
  }

  @Test
  void keptWeightsStayAndSayWhy() {
    WeightQuantizer.Result result =
        quantized(new WeightOptions(WeightFormat.INT8, 32, List.of("wte.*", "*c_fc*")));
    assertTrue(
        result.weights().stream()
            .filter(w -> w.tensor().equals("wte.weight") || w.tensor().contains("c_fc"))
            .allMatch(
                w ->
                    w.format().equals("fp32 (kept: --keep-fp32)")
                        && w.bytesAfter() == w.bytesBefore()));
    assertEquals(
        1,
        result.model().getGraph().getNodeList().stream()
            .filter(n -> n.getOpType().equals("Gather") && n.getInput(0).equals("wte.weight"))
            .count(),
        "the kept embedding is still a Gather of the float32 table");
  }
}
