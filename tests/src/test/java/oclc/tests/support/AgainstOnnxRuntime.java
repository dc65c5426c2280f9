package oclc.tests.support;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnxruntime.OrtException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import oclc.compiler.DeviceChoice;
import oclc.compiler.LoadedModel;
import oclc.compiler.conformance.Backend;
import oclc.compiler.conformance.JavaBackend;
import oclc.compiler.conformance.OpenClBackend;
import oclc.ir.Tensor;
import oclc.ir.exec.Comparison;

/**
 * A model file run by ONNX Runtime and by each of oclc's backends (the reference executor, the
 * OpenCL test device, the Java kernels) on the same inputs: every output of every backend within a
 * relative L2 bound of ONNX Runtime's, and the Java backend computing every node natively (no
 * reference fallback). One artifact per backend serves every input set, as the shapes vary.
 */
public final class AgainstOnnxRuntime {
  private AgainstOnnxRuntime() {}

  public static void check(Path model, List<Map<String, Tensor>> inputSets, double relativeL2)
      throws OrtException {
    check(model, model, inputSets, relativeL2);
  }

  /**
   * As {@link #check(Path, List, double)}, with ONNX Runtime running {@code oracleModel}: the same
   * inputs and outputs, in ops its CPU provider implements (for an op it has no CPU kernel for).
   */
  public static void check(
      Path model, Path oracleModel, List<Map<String, Tensor>> inputSets, double relativeL2)
      throws OrtException {
    LoadedModel loaded = LoadedModel.load(model);
    try (OnnxRuntimeOracle oracle = new OnnxRuntimeOracle(oracleModel);
        Backend reference = Backend.open(DeviceChoice.REFERENCE, TestDevice.cache(), w -> {});
        Backend device = new OpenClBackend(TestDevice.context(), TestDevice.cache(), w -> {});
        Backend java = new JavaBackend(JavaDevice.THREADS)) {
      for (Backend backend : List.of(reference, device, java)) {
        try (Backend.Prepared prepared = backend.prepare(loaded)) {
          assertEquals(
              List.of(), prepared.fallbackOps(), backend.name() + " computed nodes by fallback");
          for (Map<String, Tensor> inputs : inputSets) {
            Map<String, Tensor> expected = oracle.run(inputs);
            Map<String, Tensor> actual = prepared.run(inputs);
            for (var output : expected.entrySet()) {
              String where =
                  model.getFileName()
                      + " on "
                      + backend.name()
                      + ", output "
                      + output.getKey()
                      + " for inputs of shapes "
                      + shapes(inputs);
              Tensor got = actual.get(output.getKey());
              assertArrayEquals(output.getValue().shape(), got.shape(), where + ": shape");
              assertEquals(output.getValue().dtype(), got.dtype(), where + ": dtype");
              double error = Comparison.relativeL2(output.getValue(), got);
              assertTrue(error <= relativeL2, where + ": relative L2 " + error);
            }
          }
        }
      }
    }
  }

  private static String shapes(Map<String, Tensor> inputs) {
    StringBuilder text = new StringBuilder();
    inputs.forEach(
        (name, t) -> text.append(name).append(java.util.Arrays.toString(t.shape())).append(' '));
    return text.toString().strip();
  }
}
