package oclc.tests;

import ai.onnxruntime.OrtException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import oclc.ir.DType;
import oclc.ir.Tensor;
import oclc.ir.ops.MicrosoftOps;
import oclc.tests.support.AgainstOnnxRuntime;
import oclc.tests.support.OneNodeModel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * ONNX Runtime's com.microsoft operators, each as a one-node model, against ONNX Runtime itself on
 * random inputs at several shapes, on every backend.
 */
class MicrosoftOpsTest {
  private static final double FLOAT32_BOUND = 1e-5;

  @TempDir Path directory;

  /** ONNX Runtime has BiasAdd for CUDA only: its oracle is ONNX's Sum of the same three. */
  @Test
  void biasAdd() throws OrtException {
    Random random = new Random(11);
    Tensor bias = gaussian(random, 8);
    Path model = biasAdd(OneNodeModel.of(MicrosoftOps.DOMAIN, "BiasAdd"), bias, "bias_add");
    Path oracle = biasAdd(OneNodeModel.of("", "Sum"), bias, "sum");
    List<Map<String, Tensor>> inputSets = new ArrayList<>();
    for (long[] shape : new long[][] {{1, 1, 8}, {2, 7, 8}, {3, 33, 8}}) {
      inputSets.add(Map.of("x", gaussian(random, shape), "skip", gaussian(random, shape)));
    }
    AgainstOnnxRuntime.check(model, oracle, inputSets, FLOAT32_BOUND);
  }

  private Path biasAdd(OneNodeModel node, Tensor bias, String name) {
    return node.input("x", DType.FLOAT32, "batch", "seq", 8)
        .weight("bias", bias)
        .input("skip", DType.FLOAT32, "batch", "seq", 8)
        .output("y", DType.FLOAT32, "batch", "seq", 8)
        .write(directory, name);
  }

  static Tensor gaussian(Random random, long... shape) {
    Tensor t = Tensor.allocate(DType.FLOAT32, shape);
    for (int i = 0; i < t.size(); i++) {
      t.setFloat(i, (float) random.nextGaussian());
    }
    return t;
  }
}
