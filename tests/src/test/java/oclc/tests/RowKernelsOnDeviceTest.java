package oclc.tests;

import static oclc.tests.support.DeviceAsserts.assertMatches;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import oclc.codegen.opencl.Fold;
import oclc.codegen.opencl.KernelSource;
import oclc.codegen.opencl.RowKernels;
import oclc.ir.Attribute;
import oclc.ir.Attributes;
import oclc.ir.DType;
import oclc.ir.Dim;
import oclc.ir.Tensor;
import oclc.lowering.Dims;
import oclc.tests.support.KernelRunner;
import oclc.tests.support.Reference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Row kernels (one work-group per row) on the OpenCL device against the reference: rows shorter
 * than, equal to and longer than the group, into poisoned outputs.
 */
class RowKernelsOnDeviceTest {
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

  static Stream<Arguments> rows() {
    List<Arguments> cases = new ArrayList<>();
    for (int rows : new int[] {1, 5}) {
      for (int length : new int[] {1, 7, 64, 300}) {
        for (int group : new int[] {1, 16, 64}) {
          cases.add(Arguments.of(rows, length, group));
        }
      }
    }
    return cases.stream();
  }

  private static Attributes axisLast() {
    return new Attributes(Map.of("axis", new Attribute.IntValue(-1)));
  }

  @ParameterizedTest(name = "rows={0} length={1} group={2}")
  @MethodSource("rows")
  void softmaxAndLogSoftmaxMatchTheReference(int rows, int length, int group) {
    Tensor x = Reference.random(new Random(rows * 31L + length), false, rows, length);
    long[] global = Dims.constants(RowKernels.globalSize(Dim.of(rows), group));
    long[] local = {group};
    KernelSource softmax = RowKernels.softmax("softmax_g" + group, group, false);
    assertMatches(
        Reference.evaluate("Softmax", axisLast(), 13, x),
        runner.launch(softmax, List.of(x.toFloatArray()), x.size(), global, local, length));
    KernelSource logSoftmax = RowKernels.softmax("log_softmax_g" + group, group, true);
    assertMatches(
        Reference.evaluate("LogSoftmax", axisLast(), 13, x),
        runner.launch(logSoftmax, List.of(x.toFloatArray()), x.size(), global, local, length));
  }

  /**
   * The row-per-work-item form with its own exponential: lengths around the vector width, logits
   * spread wide enough that exp(x - max) spans 1 down to underflow, and masked entries (the most
   * negative float, as GPT-2's causal mask writes) that must give exactly 0.
   */
  @ParameterizedTest(name = "length={0}")
  @org.junit.jupiter.params.provider.ValueSource(ints = {1, 7, 16, 17, 300, 1024})
  void theVectorSoftmaxMatchesTheReferenceOverTheWholeRangeOfTheExponential(int length) {
    int rows = 6;
    Random random = new Random(length);
    float[] values = new float[rows * length];
    for (int i = 0; i < values.length; i++) {
      values[i] = (float) (random.nextGaussian() * 30); // exp(x - max) from 1 down past underflow
    }
    for (int i = 3; i < values.length; i += 5) {
      values[i] = -Float.MAX_VALUE; // a masked key
    }
    Tensor x = Tensor.ofFloats(new long[] {rows, length}, values);
    long[] global = {rows};
    for (boolean logarithm : new boolean[] {false, true}) {
      String op = logarithm ? "LogSoftmax" : "Softmax";
      float[] got =
          runner.launch(
              RowKernels.softmaxVector(op.toLowerCase() + "_v16", 16, logarithm),
              List.of(x.toFloatArray()),
              x.size(),
              global,
              new long[] {1},
              length);
      float[] expected = Reference.evaluate(op, axisLast(), 13, x).toFloatArray();
      for (int i = 0; i < got.length; i++) {
        if (!logarithm && expected[i] == 0) { // a masked key, or one beyond underflow
          org.junit.jupiter.api.Assertions.assertEquals(
              0f, got[i], op + " of a masked key at " + i);
        } else {
          float tolerance =
              logarithm
                  ? 1e-5f * Math.max(1, Math.abs(expected[i]))
                  : 1e-5f * expected[i]
                      + 1e-30f; // x - max rounds to float first: its error grows with it
          org.junit.jupiter.api.Assertions.assertEquals(
              expected[i], got[i], tolerance, op + " at " + i);
        }
      }
    }
  }

  @ParameterizedTest(name = "rows={0} length={1} group={2}")
  @MethodSource("rows")
  void meanOfTheInnermostAxisMatchesReduceMean(int rows, int length, int group) {
    Tensor x = Reference.random(new Random(rows * 37L + length), false, rows, length);
    Attributes lastAxis = new Attributes(Map.of("axes", new Attribute.Ints(new long[] {-1})));
    Tensor expected = Reference.evaluate("ReduceMean", lastAxis, 13, x);
    assertMatches(
        expected,
        runner.launch(
            RowKernels.reduce(
                "reduce_mean_f32_g" + group,
                group,
                false,
                Fold.of("ReduceMean", DType.FLOAT32).orElseThrow(),
                DType.FLOAT32),
            List.of(x.toFloatArray()),
            rows,
            Dims.constants(RowKernels.globalSize(Dim.of(rows), group)),
            new long[] {group},
            length));
  }

  @ParameterizedTest(name = "rows={0} length={1} group={2}")
  @MethodSource("rows")
  void layerNormalizationMatchesTheReference(int rows, int length, int group) {
    Random random = new Random(rows * 41L + length);
    Tensor x = Reference.random(random, false, rows, length);
    Tensor scale = Reference.random(random, false, length);
    Tensor shift = Reference.random(random, false, length);
    Attributes attributes =
        new Attributes(
            Map.of("axis", new Attribute.IntValue(-1), "epsilon", new Attribute.FloatValue(1e-5f)));
    Tensor expected = Reference.evaluate("LayerNormalization", attributes, 17, x, scale, shift);
    assertMatches(
        expected,
        runner.launch(
            RowKernels.layerNormalization("layer_norm_g" + group, group),
            List.of(x.toFloatArray(), scale.toFloatArray(), shift.toFloatArray()),
            x.size(),
            Dims.constants(RowKernels.globalSize(Dim.of(rows), group)),
            new long[] {group},
            length,
            1e-5f));
    if (group
        == 1) { // the vector form a row group of one compiles to, with a tail past the last whole
      // vector
      assertMatches(
          expected,
          runner.launch(
              RowKernels.layerNormVector("layer_norm_v16", 16, false),
              List.of(x.toFloatArray(), scale.toFloatArray(), shift.toFloatArray()),
              x.size(),
              new long[] {rows},
              new long[] {1},
              length,
              1e-5f));
    }
  }
}
