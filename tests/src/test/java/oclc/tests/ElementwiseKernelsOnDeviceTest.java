package oclc.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import oclc.codegen.opencl.BroadcastGeometry;
import oclc.codegen.opencl.ElementwiseKernels;
import oclc.codegen.opencl.KernelSource;
import oclc.ir.Attributes;
import oclc.ir.DType;
import oclc.ir.EvaluationContext;
import oclc.ir.Node;
import oclc.ir.OpRegistry;
import oclc.ir.Shape;
import oclc.ir.Tensor;
import oclc.ir.TensorType;
import oclc.ir.exec.Comparison;
import oclc.runtime.DeviceInfo;
import oclc.runtime.Devices;
import oclc.runtime.KernelBuildException;
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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Each elementwise kernel, built from its template on the OpenCL device (POCL in CI) and launched
 * on random data into a poisoned output, against the reference executor.
 */
class ElementwiseKernelsOnDeviceTest {
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

  static Stream<Arguments> binaryCases() {
    List<long[][]> shapes = List.of(
        new long[][] {{2, 5, 64}, {64}},
        new long[][] {{2, 4, 3, 7}, {1, 1, 3, 7}},
        new long[][] {{3, 1}, {1, 4}},
        new long[][] {{6}, {6}});
    List<Arguments> cases = new ArrayList<>();
    for (String op : ElementwiseKernels.binaryOps()) {
      shapes.forEach(s -> cases.add(Arguments.of(op, s[0], s[1])));
    }
    return cases.stream();
  }

  @ParameterizedTest(name = "{0} {1} {2}")
  @MethodSource("binaryCases")
  void binaryKernelMatchesTheReference(String op, long[] leftShape, long[] rightShape) {
    Random random = new Random(op.hashCode() * 31L + Arrays.hashCode(leftShape));
    Tensor left = random(leftShape, random, op.equals("Pow"));
    Tensor right = random(rightShape, random, op.equals("Pow") || op.equals("Div"));
    Tensor expected = reference(op, left, right);
    BroadcastGeometry geometry = BroadcastGeometry.of(expected.shape(), leftShape, rightShape);
    Node node = new Node("n", "", op, List.of("a", "b"), List.of("y"), Attributes.NONE);
    KernelSource kernel = ElementwiseKernels.lower(node, new TensorType(DType.FLOAT32, Shape.of(expected.shape()))).orElseThrow();
    float[] out = launch(kernel, List.of(left, right), expected.size(), geometry.globalSize(), new int[] {
        (int) geometry.extents()[1], (int) geometry.extents()[2],
        (int) geometry.leftStrides()[0], (int) geometry.leftStrides()[1], (int) geometry.leftStrides()[2],
        (int) geometry.rightStrides()[0], (int) geometry.rightStrides()[1], (int) geometry.rightStrides()[2]});
    assertMatches(expected, out);
  }

  static Stream<String> unaryOps() {
    return ElementwiseKernels.unaryOps().stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("unaryOps")
  void unaryKernelMatchesTheReference(String op) {
    Random random = new Random(op.hashCode());
    boolean positiveOnly = op.equals("Log") || op.equals("Sqrt");
    Tensor x = random(new long[] {3, 37}, random, positiveOnly);
    Tensor expected = reference(op, x);
    Node node = new Node("n", "", op, List.of("x"), List.of("y"), Attributes.NONE);
    KernelSource kernel = ElementwiseKernels.lower(node, new TensorType(DType.FLOAT32, Shape.of(x.shape()))).orElseThrow();
    float[] out = launch(kernel, List.of(x), x.size(), new long[] {x.size()}, new int[] {x.size()});
    assertMatches(expected, out);
  }

  @Test
  void aKernelThatDoesNotCompileShowsTheDeviceBuildLog() {
    KernelBuildException e = assertThrows(KernelBuildException.class, () -> device.buildFromSource(
        "broken", "__kernel void broken(__global float* y) { y[0] = undeclared_name; }", ""));
    assertTrue(e.getMessage().startsWith("kernel 'broken' failed to build for "), e.getMessage());
    assertTrue(e.getMessage().contains("undeclared_name"), e.getMessage());
  }

  @Test
  void aBuiltBinaryLoadsBackAndRunsTheSame() {
    Node node = new Node("n", "", "Tanh", List.of("x"), List.of("y"), Attributes.NONE);
    KernelSource kernel = ElementwiseKernels.lower(node, new TensorType(DType.FLOAT32, Shape.of(8))).orElseThrow();
    cl_program fromSource = device.buildFromSource(kernel.kernelName(), kernel.source(), "");
    byte[] binary = device.binaryOf(fromSource);
    CL.clReleaseProgram(fromSource);
    assertTrue(binary.length > 0);
    cl_program fromBinary = device.buildFromBinary(kernel.kernelName(), binary, "");
    CL.clReleaseProgram(fromBinary);
  }

  private static Tensor random(long[] shape, Random random, boolean positive) {
    Tensor t = Tensor.allocate(DType.FLOAT32, shape);
    for (int i = 0; i < t.size(); i++) {
      double v = random.nextGaussian();
      t.setDouble(i, positive ? 0.1 + Math.abs(v) : v);
    }
    return t;
  }

  private static Tensor reference(String op, Tensor... inputs) {
    List<String> names = new ArrayList<>();
    for (int i = 0; i < inputs.length; i++) {
      names.add("in" + i);
    }
    Node node = new Node("n", "", op, names, List.of("y"), Attributes.NONE);
    return OpRegistry.standard().find("", op).orElseThrow()
        .evaluate(new EvaluationContext(node, 23, Arrays.asList(inputs))).get(0);
  }

  /** Builds, launches once into an output poisoned with NaN, and reads the output back. */
  private static float[] launch(KernelSource kernel, List<Tensor> inputs, int outputSize, long[] globalSize, int[] intArgs) {
    cl_program program = device.buildFromSource(kernel.kernelName(), kernel.source(), "-cl-std=CL1.2");
    cl_kernel k = CL.clCreateKernel(program, kernel.kernelName(), null);
    List<cl_mem> buffers = new ArrayList<>();
    try {
      int arg = 0;
      for (Tensor in : inputs) {
        float[] host = in.toFloatArray();
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
    Tensor got = Tensor.ofFloats(expected.shape(), actual);
    double error = Comparison.relativeL2(expected, got);
    assertTrue(error <= 1e-5, "relative L2 " + error);
    assertArrayEquals(expected.shape(), got.shape());
  }
}
