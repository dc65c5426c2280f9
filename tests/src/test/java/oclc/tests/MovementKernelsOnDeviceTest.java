package oclc.tests;

import static oclc.tests.support.DeviceAsserts.assertMatches;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Random;
import oclc.codegen.opencl.MovementKernels;
import oclc.ir.Attribute;
import oclc.ir.Attributes;
import oclc.ir.DType;
import oclc.ir.Dim;
import oclc.ir.Tensor;
import oclc.lowering.CopyGeometry;
import oclc.lowering.Dims;
import oclc.tests.support.KernelRunner;
import oclc.tests.support.Reference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Transpose, Slice, Concat and Expand as strided copies on the OpenCL device, against the reference
 * ops.
 */
class MovementKernelsOnDeviceTest {
  private static KernelRunner runner;

  @BeforeAll
  static void open() {
    runner = KernelRunner.onFirstDevice();
  }

  @AfterAll
  static void close() {
    if (runner != null) {
      runner.close();
    }
  }

  private static float[] copy(Tensor input, int outputSize, CopyGeometry g) {
    return runner.launch(
        MovementKernels.stridedCopy(DType.FLOAT32, g),
        List.of(input.toFloatArray()),
        outputSize,
        Dims.constants(g.globalSize()),
        null,
        java.util.Arrays.stream(Dims.constants(g.scalarArguments())).boxed().toArray(Long[]::new));
  }

  @Test
  void transposesMatchTheReference() {
    Random random = new Random(1);
    // The last axis kept (runs of 16, with a shorter last run at 37 and 5) or moved (runs gathered
    // along the input's stride: attention's Kᵀ at 40 keys, 2 runs and 8 more; a 3 x 4 matrix).
    for (long[][] c :
        new long[][][] {
          {{2, 3, 4, 5}, {0, 2, 1, 3}},
          {{3, 4}, {1, 0}},
          {{2, 3, 4}, {2, 1, 0}},
          {{2, 3, 4, 5}, {3, 1, 0, 2}},
          {{2, 3, 4, 37}, {0, 2, 1, 3}},
          {{3, 5, 32}, {1, 0, 2}},
          {{1, 3, 40, 16}, {0, 1, 3, 2}}
        }) {
      Tensor x = Reference.random(random, false, c[0]);
      Tensor expected =
          Reference.evaluate(
              "Transpose", new Attributes(Map.of("perm", new Attribute.Ints(c[1]))), 13, x);
      assertMatches(expected, copy(x, x.size(), CopyGeometry.transpose(Dims.of(c[0]), c[1])));
    }
  }

  @Test
  void aSliceWithStepsMatchesTheReference() {
    Tensor x = Reference.random(new Random(2), false, 4, 6, 8);
    Tensor expected =
        Reference.evaluate(
            "Slice",
            Attributes.NONE,
            13,
            x,
            Tensor.ofLongs(new long[] {3}, 1, 0, 2),
            Tensor.ofLongs(new long[] {3}, 3, 6, 8),
            Tensor.ofLongs(new long[] {3}, 0, 1, 2),
            Tensor.ofLongs(new long[] {3}, 1, 2, 3));
    CopyGeometry g =
        CopyGeometry.slice(
            Dims.of(x.shape()), Dims.of(expected.shape()), Dims.of(1, 0, 2), new long[] {1, 2, 3});
    assertMatches(expected, copy(x, expected.size(), g));
  }

  @Test
  void aSliceOfRunsOfTheLastAxisMovesThemAsVectorsAndTheShortLastRunByElement() {
    Tensor x = Reference.random(new Random(4), false, 4, 6, 40);
    Tensor expected =
        Reference.evaluate(
            "Slice",
            Attributes.NONE,
            13,
            x,
            Tensor.ofLongs(new long[] {3}, 1, 0, 3),
            Tensor.ofLongs(new long[] {3}, 3, 6, 38),
            Tensor.ofLongs(new long[] {3}, 0, 1, 2),
            Tensor.ofLongs(new long[] {3}, 1, 2, 1));
    CopyGeometry g =
        CopyGeometry.slice(
            Dims.of(x.shape()), Dims.of(expected.shape()), Dims.of(1, 0, 3), new long[] {1, 2, 1});
    assertTrue(
        g.contiguousRuns(),
        "35 elements of the last axis, contiguous on both sides: two runs of 16 and 3 more");
    assertTrue(MovementKernels.stridedCopy(DType.FLOAT32, g).kernelName().startsWith("run_copy"));
    assertMatches(expected, copy(x, expected.size(), g));
  }

  @Test
  void concatPartsFillDisjointWindowsOfTheOutput() {
    Random random = new Random(3);
    Tensor a = Reference.random(random, false, 2, 3, 4);
    Tensor b = Reference.random(random, false, 2, 5, 4);
    Tensor expected =
        Reference.evaluate(
            "Concat", new Attributes(Map.of("axis", new Attribute.IntValue(1))), 13, a, b);
    float[] first =
        copy(
            a,
            expected.size(),
            CopyGeometry.concatPart(Dims.of(a.shape()), Dims.of(expected.shape()), 1, Dim.of(0)));
    float[] second =
        copy(
            b,
            expected.size(),
            CopyGeometry.concatPart(Dims.of(b.shape()), Dims.of(expected.shape()), 1, Dim.of(3)));
    float[] joined = new float[expected.size()];
    for (int i = 0; i < joined.length; i++) {
      assertTrue(
          Float.isNaN(first[i]) != Float.isNaN(second[i]),
          "element " + i + " written by both or neither");
      joined[i] = Float.isNaN(first[i]) ? second[i] : first[i];
    }
    assertMatches(expected, joined);
  }

  @Test
  void expandBroadcastsWithZeroStrides() {
    Tensor x = Reference.random(new Random(4), false, 3, 1);
    Tensor expected =
        Reference.evaluate(
            "Expand", Attributes.NONE, 13, x, Tensor.ofLongs(new long[] {3}, 2, 3, 4));
    assertMatches(
        expected,
        copy(
            x,
            expected.size(),
            CopyGeometry.expand(Dims.of(x.shape()), Dims.of(expected.shape()))));
  }
}
