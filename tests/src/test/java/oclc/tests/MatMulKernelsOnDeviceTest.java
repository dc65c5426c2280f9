package oclc.tests;

import static oclc.tests.support.DeviceAsserts.assertMatches;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import oclc.codegen.opencl.KernelSource;
import oclc.codegen.opencl.MatMulKernels;
import oclc.ir.Attributes;
import oclc.ir.Dim;
import oclc.ir.Tensor;
import oclc.lowering.Dims;
import oclc.lowering.PackedWeights;
import oclc.tests.support.KernelRunner;
import oclc.tests.support.Reference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The GEMV and register-tiled GEMM kernels over packed weights, on the OpenCL device, against the
 * reference Gemm, at shapes that end inside a panel and inside a row tile, into poisoned outputs.
 */
class MatMulKernelsOnDeviceTest {
  private static KernelRunner runner;

  @BeforeAll
  static void openDevice() {
    runner = KernelRunner.onFirstDevice();
  }

  @AfterAll
  static void closeDevice() {
    if (runner != null) {
      runner.close();
    }
  }

  static Stream<Arguments> shapes() {
    List<Arguments> cases = new ArrayList<>();
    for (int[] mkn :
        new int[][] {
          {1, 64, 192}, {1, 70, 5}, {1, 70, 37}, {3, 64, 192}, {17, 70, 37}, {8, 1, 8}
        }) {
      for (int width : new int[] {4, 8, 16}) {
        for (boolean bias : new boolean[] {true, false}) {
          cases.add(Arguments.of(mkn[0], mkn[1], mkn[2], width, bias));
        }
      }
    }
    return cases.stream();
  }

  @ParameterizedTest(name = "M={0} K={1} N={2} width={3} bias={4}")
  @MethodSource("shapes")
  void packedKernelsMatchTheReferenceGemm(int m, int k, int n, int width, boolean bias) {
    Random random = new Random(m * 1_000_003L + k * 1009L + n);
    Tensor a = Reference.random(random, false, m, k);
    Tensor b = Reference.random(random, false, k, n);
    Tensor c = Reference.random(random, false, n);
    Tensor expected = referenceGemm(a, b, bias ? c : null);
    float[] packed = PackedWeights.pack(b, width);
    if (m == 1) {
      for (int sums : new int[] {1, 4}) { // K = 70: four sums leave a tail of two
        for (int panels : new int[] {1, 2, 4}) { // panels streamed per work-item
          KernelSource gemv = MatMulKernels.gemv("gemv_test", width, sums, panels, bias, n, k);
          assertMatches(
              expected,
              runner.launch(
                  gemv,
                  inputs(a, packed, bias ? c : null),
                  m * n,
                  Dims.constants(MatMulKernels.gemvGlobalSize(n, width, panels)),
                  null));
        }
      }
    }
    for (int[] tile : new int[][] {{1, 1}, {4, 1}, {4, 2}, {6, 2}}) { // rows × panels per item
      KernelSource gemm = MatMulKernels.gemm("gemm_test", width, tile[0], tile[1], bias, n, k);
      assertMatches(
          expected,
          runner.launch(
              gemm,
              inputs(a, packed, bias ? c : null),
              m * n,
              Dims.constants(MatMulKernels.gemmGlobalSize(Dim.of(m), n, width, tile[0], tile[1])),
              null,
              m));
    }
  }

  @org.junit.jupiter.api.Test
  void batchedProductsOfActivationsMatchTheReferenceMatMul() {
    Random random = new Random(11);
    // attention scores: [b=2, h=3, q=5, d=16] x [b, h, d, keys=9]
    Tensor q = Reference.random(random, false, 2, 3, 5, 16);
    Tensor kT = Reference.random(random, false, 2, 3, 16, 9);
    Tensor expected = Reference.evaluate("MatMul", Attributes.NONE, 13, q, kT);
    // 5 rows: tiles of 4 or 3 rows leave a partial last tile; 9 columns: vectors of 4, 8 or 16
    // leave a partial last one
    for (int[] schedule :
        new int[][] {{1, 16}, {4, 4}, {3, 8}, {1, 4}}) { // rows per item, columns per item
      int rows = schedule[0];
      int width = schedule[1];
      assertMatches(
          expected,
          runner.launch(
              MatMulKernels.batched("batched_r" + rows + "_w" + width, rows, width),
              List.of(q, kT),
              expected.size(),
              Dims.constants(
                  MatMulKernels.batchedGlobalSize(Dim.of(6), Dim.of(5), Dim.of(9), rows, width)),
              null,
              5,
              9,
              16,
              5 * 16,
              16 * 9));
    }
    // one right operand for every batch (stride 0)
    Tensor shared = Reference.random(random, false, 16, 9);
    Tensor expectedShared = Reference.evaluate("MatMul", Attributes.NONE, 13, q, shared);
    assertMatches(
        expectedShared,
        runner.launch(
            MatMulKernels.batched("batched_r4_w8", 4, 8),
            List.of(q, shared),
            expectedShared.size(),
            Dims.constants(MatMulKernels.batchedGlobalSize(Dim.of(6), Dim.of(5), Dim.of(9), 4, 8)),
            null,
            5,
            9,
            16,
            5 * 16,
            0));
  }

  private static Tensor referenceGemm(Tensor a, Tensor b, Tensor bias) {
    return bias == null
        ? Reference.evaluate("Gemm", Attributes.NONE, 17, a, b)
        : Reference.evaluate("Gemm", Attributes.NONE, 17, a, b, bias);
  }

  private static List<float[]> inputs(Tensor a, float[] packed, Tensor bias) {
    return bias == null
        ? List.of(a.toFloatArray(), packed)
        : List.of(a.toFloatArray(), packed, bias.toFloatArray());
  }
}
