package oclc.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnxruntime.OrtSession.SessionOptions.OptLevel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import oclc.artifact.Manifest;
import oclc.artifact.Manifest.BufferKind;
import oclc.compiler.LoadedModel;
import oclc.compiler.conformance.Backend;
import oclc.compiler.conformance.ConformanceRunner;
import oclc.compiler.conformance.JavaBackend;
import oclc.compiler.conformance.OpenClBackend;
import oclc.compiler.conformance.TestDataSet;
import oclc.compiler.conformance.Tolerance;
import oclc.compiler.generate.Generator;
import oclc.compiler.generate.Steppers;
import oclc.compiler.generate.TokenChooser;
import oclc.ir.DType;
import oclc.ir.Tensor;
import oclc.runtime.Session;
import oclc.runtime.cpu.JavaExecutable;
import oclc.tests.support.Float16Models;
import oclc.tests.support.JavaDevice;
import oclc.tests.support.OnnxRuntimeOracle;
import oclc.tests.support.TestDevice;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * float16 models, as a torch {@code .half()} export has them, made from ../shared's float32 exports
 * by {@link Float16Models}: every test set passes on the reference executor, on the OpenCL device
 * and on the Java backend natively, compared with {@link Tolerance#FLOAT16}, and their weights and
 * KV caches take half the bytes of float32's.
 *
 * <p>The oracle: for GPT-2, ONNX Runtime on the converted file (its CPU provider runs float16 GPT-2
 * with its graph rewrites off, as its layer-norm fusion fails on it); for Llama the float32
 * export's outputs rounded to float16, as ONNX Runtime's float16 Llama differs from its own float32
 * by 4.7e-2 (relative L2) on the left-padded set where the reference's float16 run differs by 1e-3.
 */
class Float16ModelsTest {
  @TempDir static Path folder;

  private static Path gpt2;
  private static Path llama;

  @BeforeAll
  static void convert() throws Exception {
    gpt2 = folder.resolve("gpt2-tiny-past-opset16-fp16");
    Float16Models.convertFolder(
        SharedData.models().resolve("gpt2-tiny-past-opset16"),
        gpt2,
        (model, inputs) -> {
          try (OnnxRuntimeOracle ort = new OnnxRuntimeOracle(model, OptLevel.NO_OPT)) {
            return ort.run(inputs);
          }
        });
    Path llamaSource = SharedData.models().resolve("llama-tiny-past-opset14");
    llama = folder.resolve("llama-tiny-past-opset14-fp16");
    Float16Models.convertFolder(
        llamaSource, llama, (model, inputs) -> float32Outputs(llamaSource, inputs));
  }

  /** The float32 export's expected outputs of the test set whose inputs these are, rounded. */
  private static Map<String, Tensor> float32Outputs(Path source, Map<String, Tensor> inputs) {
    var graph = LoadedModel.load(source.resolve("model.onnx")).simplified();
    for (Path set : TestDataSet.folders(source)) {
      TestDataSet full = TestDataSet.read(set, graph);
      boolean same =
          full.inputs().entrySet().stream()
              .allMatch(
                  e ->
                      Float16Models.toFloat16(e.getValue())
                          .data()
                          .equals(inputs.get(e.getKey()).data()));
      if (same) {
        Map<String, Tensor> outputs = new LinkedHashMap<>();
        full.expectedOutputs().forEach((name, t) -> outputs.put(name, Float16Models.toFloat16(t)));
        return outputs;
      }
    }
    throw new AssertionError("no test set of " + source + " has these inputs");
  }

  @Test
  void gpt2PassesOnTheReference() {
    passes(new ConformanceRunner().run(gpt2));
  }

  @Test
  void gpt2PassesOnTheDevice() {
    passes(new OpenClBackend(TestDevice.context(), TestDevice.cache(), w -> {}), gpt2);
  }

  @Test
  void gpt2PassesOnJavaNatively() {
    passes(new JavaBackend(JavaDevice.THREADS), gpt2);
  }

  @Test
  void llamaPassesOnTheReference() {
    passes(new ConformanceRunner().run(llama));
  }

  @Test
  void llamaPassesOnTheDevice() {
    passes(new OpenClBackend(TestDevice.context(), TestDevice.cache(), w -> {}), llama);
  }

  @Test
  void llamaPassesOnJavaNatively() {
    passes(new JavaBackend(JavaDevice.THREADS), llama);
  }

  /**
   * Every set passes, by the float16 tolerance (the outputs are float16), and nothing falls back.
   */
  private static void passes(Backend backend, Path model) {
    try (backend) {
      passes(new ConformanceRunner(backend).run(model));
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  private static void passes(ConformanceRunner.Outcome outcome) {
    assertEquals(ConformanceRunner.Verdict.PASSED, outcome.verdict(), outcome.line());
    assertFalse(outcome.throughFallback(), outcome.line());
    System.out.println(outcome.line());
  }

  /**
   * Generation binds float16 empty pasts for a float16 model, and its greedy tokens are the float32
   * model's (the KV caches in place, on the Java backend).
   */
  @Test
  void greedyTokensOfTheFloat16ModelAreTheFloat32Ones(@TempDir Path artifacts) {
    Path full = SharedData.models().resolve("gpt2-tiny-past-opset16").resolve("model.onnx");
    long[] prompt = {17, 401, 9, 230, 77};
    List<Long> tokens = greedy(full, artifacts.resolve("fp32"), prompt);
    assertEquals(12, tokens.size());
    assertEquals(tokens, greedy(gpt2.resolve("model.onnx"), artifacts.resolve("fp16"), prompt));
  }

  private static List<Long> greedy(Path model, Path artifact, long[] prompt) {
    try (JavaExecutable executable = JavaDevice.compile(model, artifact);
        Session session = executable.newSession()) {
      Generator.Stepper stepper = Steppers.forSession(executable.manifest(), session);
      return Generator.generate(stepper, prompt, 12, TokenChooser.greedy()).tokens();
    }
  }

  @Test
  void weightsAndKvCachesTakeHalfTheBytes(@TempDir Path artifacts) throws Exception {
    Path full = SharedData.models().resolve("gpt2-tiny-past-opset16").resolve("model.onnx");
    try (JavaExecutable single = JavaDevice.compile(full, artifacts.resolve("fp32"));
        JavaExecutable half =
            JavaDevice.compile(gpt2.resolve("model.onnx"), artifacts.resolve("fp16"))) {
      long singleBytes = paramBytes(single.manifest());
      long halfBytes = paramBytes(half.manifest());
      assertTrue(
          halfBytes < 0.55 * singleBytes,
          "float16 params " + halfBytes + " bytes, float32 " + singleBytes);
      for (String cache : new String[] {"past_k_0", "present_k_0", "present_v_1"}) {
        assertEquals(DType.FLOAT16, dtype(half.manifest(), cache), cache);
        assertEquals(DType.FLOAT32, dtype(single.manifest(), cache), cache);
      }
    }
    assertTrue(Files.size(gpt2.resolve("model.onnx")) < 0.6 * Files.size(full));
  }

  private static long paramBytes(Manifest manifest) {
    return manifest.buffers().stream()
        .filter(b -> b.kind() == BufferKind.PARAM)
        .mapToLong(Manifest.BufferSpec::bytes)
        .sum();
  }

  private static DType dtype(Manifest manifest, String buffer) {
    return manifest.buffers().stream()
        .filter(b -> b.name().equals(buffer))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no buffer " + buffer))
        .dtype();
  }
}
