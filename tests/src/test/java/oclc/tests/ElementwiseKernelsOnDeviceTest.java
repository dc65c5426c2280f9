package oclc.tests;

import static oclc.tests.support.DeviceAsserts.assertMatches;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import oclc.codegen.opencl.BroadcastGeometry;
import oclc.codegen.opencl.ElementwiseKernels;
import oclc.codegen.opencl.GatherKernels;
import oclc.codegen.opencl.KernelSource;
import oclc.ir.Attributes;
import oclc.ir.DType;
import oclc.ir.Node;
import oclc.ir.Shape;
import oclc.codegen.opencl.Dims;
import oclc.ir.Dim;
import oclc.ir.Tensor;
import oclc.ir.TensorType;
import oclc.runtime.KernelBuildException;
import oclc.runtime.OpenClContext;
import oclc.tests.support.KernelRunner;
import oclc.tests.support.Reference;
import org.jocl.CL;
import org.jocl.cl_program;
import org.junit.jupiter.api.AfterAll;
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
  private static KernelRunner runner;
  private static OpenClContext device;

  @BeforeAll
  static void openDevice() {
    runner = KernelRunner.onFirstDevice();
    device = runner.device();
  }

  @AfterAll
  static void closeDevice() {
    if (runner != null) {
      runner.close();
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
    Tensor left = Reference.random(random, op.equals("Pow"), leftShape);
    Tensor right = Reference.random(random, op.equals("Pow") || op.equals("Div"), rightShape);
    Tensor expected = Reference.evaluate(op, Attributes.NONE, 23, left, right);
    BroadcastGeometry geometry = BroadcastGeometry.of(expected.shape(), leftShape, rightShape);
    Node node = new Node("n", "", op, List.of("a", "b"), List.of("y"), Attributes.NONE);
    KernelSource kernel = ElementwiseKernels.lower(node, new TensorType(DType.FLOAT32, Shape.of(expected.shape()))).orElseThrow();
    float[] out = runner.launch(kernel, List.of(left.toFloatArray(), right.toFloatArray()), expected.size(),
        Dims.constants(geometry.globalSize()), null, boxed(Dims.constants(geometry.scalarArguments())));
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
    Tensor x = Reference.random(random, positiveOnly, 3, 37);
    Tensor expected = Reference.evaluate(op, Attributes.NONE, 23, x);
    Node node = new Node("n", "", op, List.of("x"), List.of("y"), Attributes.NONE);
    KernelSource kernel = ElementwiseKernels.lower(node, new TensorType(DType.FLOAT32, Shape.of(x.shape()))).orElseThrow();
    float[] out = runner.launch(kernel, List.of(x.toFloatArray()), x.size(), new long[] {x.size()}, null, x.size());
    assertMatches(expected, out);
  }

  @Test
  void whereSelectsUnderABroadcastMask() {
    Random random = new Random(7);
    boolean[] maskValues = new boolean[21];
    for (int i = 0; i < maskValues.length; i++) {
      maskValues[i] = random.nextBoolean();
    }
    Tensor mask = Tensor.ofBools(new long[] {1, 1, 3, 7}, maskValues);
    Tensor scores = Reference.random(random, false, 2, 4, 3, 7);
    Tensor fill = Tensor.ofFloats(new long[0], -1e4f);
    Tensor expected = Reference.evaluate("Where", Attributes.NONE, 16, mask, scores, fill);
    BroadcastGeometry geometry = BroadcastGeometry.of(expected.shape(), mask.shape(), scores.shape(), fill.shape());
    Node node = new Node("n", "", "Where", List.of("c", "x", "y"), List.of("out"), Attributes.NONE);
    KernelSource kernel = ElementwiseKernels.lower(node, new TensorType(DType.FLOAT32, Shape.of(expected.shape()))).orElseThrow();
    assertMatches(expected, runner.launch(kernel, List.of(mask, scores, fill), expected.size(),
        Dims.constants(geometry.globalSize()), null, boxed(Dims.constants(geometry.scalarArguments()))));
  }

  @Test
  void gatherLooksUpRowsWithNegativeIndices() {
    Tensor table = Reference.random(new Random(8), false, 50, 16);
    Tensor indices = Tensor.ofLongs(new long[] {2, 3}, 0, 49, -1, 7, 7, 20);
    Tensor expected = Reference.evaluate("Gather", Attributes.NONE, 13, table, indices);
    assertMatches(expected, runner.launch(GatherKernels.rows(DType.FLOAT32), List.of(table, indices), expected.size(),
        Dims.constants(GatherKernels.globalSize(Dim.of(16), Dim.of(indices.size()))), null, 50, 16));
  }

  private static Long[] boxed(long[] values) {
    return Arrays.stream(values).boxed().toArray(Long[]::new);
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
}
