package oclc.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import oclc.compiler.LoadedModel;
import oclc.ir.DType;
import oclc.ir.Graph;
import oclc.ir.Tensor;
import oclc.ir.ValueInfo;
import oclc.ir.exec.Comparison;
import oclc.ir.exec.ReferenceExecutor;
import oclc.runtime.Executable;
import oclc.tests.support.Gpt2Inputs;
import oclc.tests.support.TestDevice;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The reference executor against ONNX Runtime on GPT-2 inputs of freshly drawn shapes and values,
 * on GPT-2 exports of ../shared/models named here (our exporter's, whose inputs {@link Gpt2Inputs}
 * draws): an independent implementation, on shapes no export or test set fixed; and the OpenCL
 * device against it the same way, with one artifact serving every drawn shape, and the Java backend
 * too.
 */
class OnnxRuntimeCrossCheckTest {
  private static final int TRIALS = 6;

  @ParameterizedTest
  @ValueSource(
      strings = {"gpt2-tiny-past-opset16", "gpt2-tiny-past-opset17", "gpt2-tiny-nopast-opset14"})
  void referenceMatchesOnnxRuntimeOnRandomShapes(String modelName) throws OrtException {
    Path modelFile = SharedData.models().resolve(modelName).resolve("model.onnx");
    Graph graph = LoadedModel.load(modelFile).simplified();
    long seed = System.nanoTime();
    Random random = new Random(seed);
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
      options.setIntraOpNumThreads(1);
      try (OrtSession session = env.createSession(modelFile.toString(), options)) {
        for (int trial = 0; trial < TRIALS; trial++) {
          long batch = 1 + random.nextInt(3);
          long sequence = 1 + random.nextInt(24);
          long past = random.nextInt(128 - (int) sequence);
          Map<String, Tensor> inputs = Gpt2Inputs.random(graph, random, batch, sequence, past);
          String where =
              modelName
                  + " batch "
                  + batch
                  + " sequence "
                  + sequence
                  + " past "
                  + past
                  + " (seed "
                  + seed
                  + ")";
          compare(env, session, graph, inputs, where);
        }
      }
    }
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"gpt2-tiny-past-opset16", "gpt2-tiny-past-opset17", "gpt2-tiny-nopast-opset16"})
  void deviceMatchesOnnxRuntimeOnRandomShapes(String modelName, @TempDir Path folder)
      throws OrtException {
    Path modelFile = SharedData.models().resolve(modelName).resolve("model.onnx");
    try (Executable executable = TestDevice.compile(modelFile, folder.resolve("model.oclc"))) {
      backendMatchesOnnxRuntime(
          modelName, modelFile, executable, TestDevice.context().info().name());
    }
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"gpt2-tiny-past-opset16", "gpt2-tiny-past-opset17", "gpt2-tiny-nopast-opset14"})
  void javaBackendMatchesOnnxRuntimeOnRandomShapes(String modelName, @TempDir Path folder)
      throws OrtException {
    Path modelFile = SharedData.models().resolve(modelName).resolve("model.onnx");
    try (oclc.runtime.cpu.JavaExecutable executable =
        oclc.tests.support.JavaDevice.compile(modelFile, folder.resolve("model.oclc"))) {
      backendMatchesOnnxRuntime(modelName, modelFile, executable, "java");
    }
  }

  /**
   * TRIALS freshly drawn batch, prompt and past lengths on {@code executable} (poisoned buffers)
   * against ORT.
   */
  private static void backendMatchesOnnxRuntime(
      String modelName, Path modelFile, oclc.runtime.CompiledModel executable, String deviceName)
      throws OrtException {
    Graph graph = LoadedModel.load(modelFile).simplified();
    long seed = System.nanoTime();
    Random random = new Random(seed);
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    try (oclc.runtime.Session backend = executable.newSession().poisonBuffers(true);
        OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
      options.setIntraOpNumThreads(1);
      try (OrtSession session = env.createSession(modelFile.toString(), options)) {
        for (int trial = 0; trial < TRIALS; trial++) {
          long batch = 1 + random.nextInt(3);
          long sequence = 1 + random.nextInt(24);
          long past = trial == 0 ? 0 : random.nextInt(128 - (int) sequence);
          Map<String, Tensor> inputs = Gpt2Inputs.random(graph, random, batch, sequence, past);
          String where =
              modelName
                  + " on "
                  + deviceName
                  + ", batch "
                  + batch
                  + " sequence "
                  + sequence
                  + " past "
                  + past
                  + " (seed "
                  + seed
                  + ")";
          compare(
              env,
              session,
              graph,
              inputs,
              where,
              in -> {
                in.forEach(backend::bind);
                backend.run();
                Map<String, Tensor> outputs = new LinkedHashMap<>();
                graph.outputs().forEach(o -> outputs.put(o.name(), backend.output(o.name())));
                return outputs;
              });
        }
      }
    }
  }

  private static void compare(
      OrtEnvironment env, OrtSession session, Graph graph, Map<String, Tensor> inputs, String where)
      throws OrtException {
    compare(env, session, graph, inputs, where, in -> new ReferenceExecutor().run(graph, in));
  }

  private static void compare(
      OrtEnvironment env,
      OrtSession session,
      Graph graph,
      Map<String, Tensor> inputs,
      String where,
      java.util.function.Function<Map<String, Tensor>, Map<String, Tensor>> backend)
      throws OrtException {
    Map<String, OnnxTensor> ortInputs = new LinkedHashMap<>();
    try {
      for (var e : inputs.entrySet()) {
        ortInputs.put(e.getKey(), toOrt(env, e.getValue()));
      }
      Map<String, Tensor> ours = backend.apply(inputs);
      try (OrtSession.Result result = session.run(ortInputs)) {
        for (ValueInfo out : graph.outputs()) {
          OnnxTensor theirs = (OnnxTensor) result.get(out.name()).orElseThrow();
          Tensor expected = fromOrt(theirs);
          Tensor actual = ours.get(out.name());
          assertArrayEquals(expected.shape(), actual.shape(), where + ": shape of " + out.name());
          double error = Comparison.relativeL2(expected, actual);
          assertTrue(error <= 1e-4, where + ": " + out.name() + " relative L2 " + error);
        }
      }
    } finally {
      ortInputs.values().forEach(OnnxTensor::close);
    }
  }

  private static OnnxTensor toOrt(OrtEnvironment env, Tensor t) throws OrtException {
    if (t.dtype() == DType.INT64) {
      return OnnxTensor.createTensor(env, LongBuffer.wrap(t.toLongArray()), t.shape());
    }
    return OnnxTensor.createTensor(env, FloatBuffer.wrap(t.toFloatArray()), t.shape());
  }

  private static Tensor fromOrt(OnnxTensor t) {
    long[] shape = t.getInfo().getShape();
    FloatBuffer buffer = t.getFloatBuffer();
    float[] values = new float[buffer.remaining()];
    buffer.get(values);
    return Tensor.ofFloats(shape, values);
  }
}
