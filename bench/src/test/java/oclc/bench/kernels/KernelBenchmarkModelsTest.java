package oclc.bench.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import oclc.bench.BenchDevice;
import oclc.ir.Tensor;
import oclc.ir.exec.Comparison;
import oclc.ir.exec.ReferenceExecutor;
import oclc.runtime.Devices;
import oclc.runtime.OpenClContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The one-node models the kernel benchmarks time compute what their op computes (against the
 * reference executor) with the variant the benchmark means to time, and each benchmark's work model
 * counts its flops; no benchmark is run here.
 */
class KernelBenchmarkModelsTest {
  private static OpenClContext device;

  @BeforeAll
  static void open() {
    BenchDevice.require();
    device = OpenClContext.open(Devices.list().getFirst());
  }

  @AfterAll
  static void close() {
    if (device != null) {
      device.close();
    }
  }

  private static String launchOnce(OneNodeModel.Spec spec) {
    try (OneNodeModel model = OneNodeModel.compile(spec, device, BenchDevice.cache())) {
      model.launch();
      model.finish();
      Tensor expected = new ReferenceExecutor().run(model.graph(), model.inputs()).get("y");
      Tensor actual = model.output();
      assertArrayEquals(expected.shape(), actual.shape(), spec.opType() + " shape");
      double error = Comparison.relativeL2(expected, actual);
      assertTrue(
          error <= 1e-5,
          spec.opType()
              + " "
              + java.util.Arrays.toString(spec.outputShape())
              + ": relative L2 "
              + error);
      return model.variant() + " " + model.planned().dispatches().getFirst().kernel();
    }
  }

  @Test
  void gemmOfOneRowIsTheGemvAndOf64RowsTheTiledGemm() {
    String gemv = launchOnce(GemmBenchmark.spec(1, 2304));
    assertTrue(gemv.startsWith("gemv_w16") && gemv.contains("_bias"), gemv);
    assertTrue(launchOnce(GemmBenchmark.spec(64, 768)).contains("gemm_w16_r8_p2_bias"));
    assertEquals(
        new KernelWork(2L * 64 * 768 * 768, 4L * (768 * 768 + 64 * 768 + 64 * 768 + 768)),
        GemmBenchmark.work(Map.of("rows", "64", "columns", "768")));
  }

  @Test
  void attentionProductsAreTheBatchedKernel() {
    assertTrue(launchOnce(AttentionBenchmark.spec("scores", 1, 128)).contains("batched_matmul"));
    assertTrue(launchOnce(AttentionBenchmark.spec("context", 64, 128)).contains("batched_matmul"));
    assertEquals(
        2L * 12 * 64 * 128 * 64,
        AttentionBenchmark.work(Map.of("product", "context", "queries", "64", "keys", "128"))
            .flops());
  }

  @Test
  void softmaxAndLayerNormalizationAreTheRowKernels() {
    assertTrue(launchOnce(SoftmaxBenchmark.spec(64, 128)).contains("softmax"));
    assertTrue(
        launchOnce(LayerNormBenchmark.spec(64)).contains("layer"), "a LayerNormalization kernel");
  }

  @Test
  void powAndMulByAConstantScalarAreEachTheirOwnBinaryKernel() {
    String pow = launchOnce(PowBenchmark.spec("Pow", 64));
    String mul = launchOnce(PowBenchmark.spec("Mul", 64));
    assertTrue(pow.contains("Pow") || pow.toLowerCase().contains("pow"), pow);
    assertTrue(mul.toLowerCase().contains("mul"), mul);
  }
}
