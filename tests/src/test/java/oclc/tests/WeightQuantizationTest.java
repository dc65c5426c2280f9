package oclc.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import oclc.compiler.LoadedModel;
import oclc.compiler.conformance.TestDataSet;
import oclc.ir.Graph;
import oclc.ir.Tensor;
import oclc.ir.exec.Comparison;
import oclc.onnx.OnnxModelLoader;
import oclc.onnx.quantize.QuantizedWeight;
import oclc.onnx.quantize.WeightFormat;
import oclc.onnx.quantize.WeightOptions;
import oclc.onnx.quantize.WeightQuantizer;
import oclc.tests.support.AgainstOnnxRuntime;
import oclc.tests.support.OnnxRuntimeOracle;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code oclc quantize}'s files ({@link WeightQuantizer}): ONNX Runtime runs them (its MatMulNBits
 * and GatherBlockQuantized CPU kernels), their logits stay within each format's bound of the
 * float32 export's expected outputs, and their weights take the bytes the format promises.
 */
class WeightQuantizationTest {
  @TempDir static Path folder;

  /** Logits' relative L2 against the float32 export's, at most (measured: docs/quantization.md). */
  private static final Map<WeightFormat, Double> BOUND =
      Map.of(WeightFormat.FP16, 1e-3, WeightFormat.INT8, 2e-2, WeightFormat.INT4, 4e-1);

  private static Path quantized(String model, WeightFormat format) {
    Path file = folder.resolve(model + "-" + format.label() + ".onnx");
    if (!Files.exists(file)) {
      Path source = SharedData.models().resolve(model).resolve("model.onnx");
      WeightQuantizer.Result result =
          WeightQuantizer.quantize(
              OnnxModelLoader.parse(source),
              source,
              new WeightOptions(format, 32, List.of()),
              WeightQuantizer.Listener.SILENT);
      WeightQuantizer.write(result.model(), file);
      result.table().forEach(System.out::println);
    }
    return file;
  }

  @BeforeAll
  static void shared() {
    SharedData.models();
  }

  @Test
  void onnxRuntimeRunsGpt2MiniInEveryFormatWithinItsBound() throws Exception {
    for (WeightFormat format : List.of(WeightFormat.FP16, WeightFormat.INT8, WeightFormat.INT4)) {
      withinBound("gpt2-mini-past-opset16", format);
    }
  }

  @Test
  void onnxRuntimeRunsLlamaInEveryFormatWithinItsBound() throws Exception {
    for (WeightFormat format : List.of(WeightFormat.FP16, WeightFormat.INT8, WeightFormat.INT4)) {
      withinBound("llama-tiny-past-opset14", format);
    }
  }

  private static void withinBound(String model, WeightFormat format) throws Exception {
    Path source = SharedData.models().resolve(model);
    Graph graph = LoadedModel.load(source.resolve("model.onnx")).simplified();
    try (OnnxRuntimeOracle ort = new OnnxRuntimeOracle(quantized(model, format))) {
      for (Path set : TestDataSet.folders(source)) {
        TestDataSet data = TestDataSet.read(set, graph);
        Tensor expected = data.expectedOutputs().get("logits");
        Tensor got = ort.run(data.inputs()).get("logits");
        double error = Comparison.relativeL2(expected, got);
        System.out.printf(
            "%s %s %s: logits relative L2 %.3g%n", model, format.label(), set.getFileName(), error);
        assertTrue(error <= BOUND.get(format), model + " " + format + " " + set + ": " + error);
        assertTrue(error > 0, "the weights changed, so must the logits");
      }
    }
  }

  /**
   * oclc on the quantized file, as ONNX Runtime computes it: the reference executor, the OpenCL
   * device and the Java kernels (natively, no fallback), every output within relative L2 1e-4.
   */
  @Test
  void everyBackendComputesTheQuantizedFilesAsOnnxRuntimeDoes() throws Exception {
    for (String model : List.of("gpt2-mini-past-opset16", "llama-tiny-past-opset14")) {
      Graph graph =
          LoadedModel.load(SharedData.models().resolve(model).resolve("model.onnx")).simplified();
      List<Map<String, Tensor>> inputSets =
          TestDataSet.folders(SharedData.models().resolve(model)).stream()
              .map(set -> TestDataSet.read(set, graph).inputs())
              .toList();
      for (WeightFormat format : List.of(WeightFormat.FP16, WeightFormat.INT8, WeightFormat.INT4)) {
        AgainstOnnxRuntime.check(quantized(model, format), inputSets, 1e-4);
      }
    }
  }

  @Test
  void int4WeightsTakeLittleMoreThanAnEighthOfTheirBytesAndTheTiedHeadNone() {
    Path source = SharedData.models().resolve("gpt2-mini-past-opset16").resolve("model.onnx");
    WeightQuantizer.Result result =
        WeightQuantizer.quantize(
            OnnxModelLoader.parse(source),
            source,
            new WeightOptions(WeightFormat.INT4, 32, List.of()),
            WeightQuantizer.Listener.SILENT);
    // 4 bits per weight, a float scale and a 4-bit zero point per 32: 4 + 1.125 bits of 32; the LM
    // head (onnx::MatMul_1272, wte.weight transposed: 2 MiB of the 16.25) reads the embedding's
    QuantizedWeight head =
        result.weights().stream()
            .filter(w -> w.tensor().equals("onnx::MatMul_1272"))
            .findFirst()
            .orElseThrow();
    assertEquals("int4 MatMulNBits b32, shares wte.weight_Q4", head.format());
    double expected =
        5.125 / 32 * (result.bytesBefore() - head.bytesBefore()) / result.bytesBefore();
    assertEquals(expected, (double) result.bytesAfter() / result.bytesBefore(), 0.002);
  }
}
