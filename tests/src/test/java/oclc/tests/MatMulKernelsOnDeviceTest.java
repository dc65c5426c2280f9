package oclc.tests;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import oclc.codegen.opencl.KernelSource;
import oclc.codegen.opencl.MatMulKernels;
import oclc.codegen.opencl.PackedWeights;
import oclc.ir.Attributes;
import oclc.ir.DType;
import oclc.ir.EvaluationContext;
import oclc.ir.Node;
import oclc.ir.OpRegistry;
import oclc.ir.Tensor;
import oclc.ir.exec.Comparison;
import oclc.runtime.DeviceInfo;
import oclc.runtime.Devices;
import oclc.runtime.OpenClContext;
import org.jocl.CL;
import org.jocl.Pointer;
import org.jocl.Sizeof;
import org.jocl.cl_kernel;
import org.jocl.cl_mem;
import org.jocl.cl_program;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The GEMV and register-tiled GEMM kernels over packed weights, on the OpenCL device, against the
 * reference Gemm, at shapes that end inside a panel and inside a row tile, into poisoned outputs.
 */
class MatMulKernelsOnDeviceTest {
  private static OpenClContext device;

  @BeforeAll
  static void openDevice() {
    List<DeviceInfo> devices = Devices.list();
    if (devices.isEmpty()) {
      if ("true".equals(System.getenv("OCLC_REQUIRE_OPENCL"))) {
        throw new AssertionError("no OpenCL device, and this run requires one (OCLC_REQUIRE_OPENCL)");
      }
      Assumptions.abort("no OpenCL device on this machine");
    }
    device = OpenClContext.open(Devices.select(devices.get(0).name()));
  }

  @AfterAll
  static void closeDevice() {
    if (device != null) {
      device.close();
    }
  }

  static Stream<Arguments> shapes() {
    List<Arguments> cases = new ArrayList<>();
    for (int[] mkn : new int[][] {{1, 64, 192}, {1, 70, 5}, {3, 64, 192}, {17, 70, 37}, {8, 1, 8}}) {
      for (int width : new int[] {4, 8}) {
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
    Tensor a = random(new long[] {m, k}, random);
    Tensor b = random(new long[] {k, n}, random);
    Tensor c = random(new long[] {n}, random);
    Tensor expected = referenceGemm(a, b, bias ? c : null);
    float[] packed = PackedWeights.pack(b, width);
    if (m == 1) {
      KernelSource gemv = MatMulKernels.gemv("gemv_test", width, bias);
      assertMatches(expected, launch(gemv, a, packed, bias ? c : null, m * n, MatMulKernels.gemvGlobalSize(n, width), new int[] {n, k}));
    }
    for (int rowsPerItem : new int[] {1, 4}) {
      KernelSource gemm = MatMulKernels.gemm("gemm_test", width, rowsPerItem, bias);
      assertMatches(expected, launch(gemm, a, packed, bias ? c : null, m * n,
          MatMulKernels.gemmGlobalSize(m, n, width, rowsPerItem), new int[] {m, n, k}));
    }
  }

  private static Tensor random(long[] shape, Random random) {
    Tensor t = Tensor.allocate(DType.FLOAT32, shape);
    for (int i = 0; i < t.size(); i++) {
      t.setDouble(i, random.nextGaussian());
    }
    return t;
  }

  private static Tensor referenceGemm(Tensor a, Tensor b, Tensor bias) {
    List<Tensor> inputs = bias == null ? List.of(a, b) : List.of(a, b, bias);
    List<String> names = bias == null ? List.of("a", "b") : List.of("a", "b", "c");
    Node node = new Node("gemm", "", "Gemm", names, List.of("y"), Attributes.NONE);
    return OpRegistry.standard().find("", "Gemm").orElseThrow().evaluate(new EvaluationContext(node, 17, inputs)).get(0);
  }

  private static float[] launch(KernelSource kernel, Tensor a, float[] packed, Tensor bias, int outputSize,
      long[] globalSize, int[] intArgs) {
    cl_program program = device.buildFromSource(kernel.kernelName(), kernel.source(), "-cl-std=CL1.2");
    cl_kernel k = CL.clCreateKernel(program, kernel.kernelName(), null);
    List<cl_mem> buffers = new ArrayList<>();
    try {
      int arg = 0;
      List<float[]> inputs = new ArrayList<>(List.of(a.toFloatArray(), packed));
      if (bias != null) {
        inputs.add(bias.toFloatArray());
      }
      for (float[] host : inputs) {
        cl_mem buffer = CL.clCreateBuffer(device.context(), CL.CL_MEM_READ_ONLY | CL.CL_MEM_COPY_HOST_PTR,
            (long) Sizeof.cl_float * host.length, Pointer.to(host), null);
        buffers.add(buffer);
        CL.clSetKernelArg(k, arg++, Sizeof.cl_mem, Pointer.to(buffer));
      }
      float[] poison = new float[outputSize];
      Arrays.fill(poison, Float.NaN);
      cl_mem output = CL.clCreateBuffer(device.context(), CL.CL_MEM_READ_WRITE | CL.CL_MEM_COPY_HOST_PTR,
          (long) Sizeof.cl_float * outputSize, Pointer.to(poison), null);
      buffers.add(output);
      CL.clSetKernelArg(k, arg++, Sizeof.cl_mem, Pointer.to(output));
      for (int value : intArgs) {
        CL.clSetKernelArg(k, arg++, Sizeof.cl_int, Pointer.to(new int[] {value}));
      }
      CL.clEnqueueNDRangeKernel(device.queue(), k, globalSize.length, null, globalSize, null, 0, null, null);
      float[] result = new float[outputSize];
      CL.clEnqueueReadBuffer(device.queue(), output, CL.CL_TRUE, 0, (long) Sizeof.cl_float * outputSize,
          Pointer.to(result), 0, null, null);
      return result;
    } finally {
      buffers.forEach(CL::clReleaseMemObject);
      CL.clReleaseKernel(k);
      CL.clReleaseProgram(program);
    }
  }

  private static void assertMatches(Tensor expected, float[] actual) {
    for (int i = 0; i < actual.length; i++) {
      assertFalse(Float.isNaN(actual[i]), "element " + i + " was never written");
    }
    double error = Comparison.relativeL2(expected, Tensor.ofFloats(expected.shape(), actual));
    assertTrue(error <= 1e-5, "relative L2 " + error);
  }
}
