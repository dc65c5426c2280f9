package oclc.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.stream.Stream;
import oclc.codegen.opencl.Fold;
import oclc.codegen.opencl.KernelSource;
import oclc.codegen.opencl.RowGeometry;
import oclc.codegen.opencl.RowKernels;
import oclc.ir.Attribute;
import oclc.ir.Attributes;
import oclc.ir.DType;
import oclc.ir.Tensor;
import oclc.lowering.Dims;
import oclc.tests.support.KernelRunner;
import oclc.tests.support.Reference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The Reduce* folds and ArgMax/ArgMin on the OpenCL device against the reference: contiguous and
 * strided rows, every element type the kernels take, ties, NaN and −0, and reductions over no
 * elements (whose results are the reference's identities), into poisoned outputs.
 */
class ReduceKernelsOnDeviceTest {
  private static final List<String> FOLDS =
      List.of(
          "ReduceSum",
          "ReduceMean",
          "ReduceSumSquare",
          "ReduceL1",
          "ReduceL2",
          "ReduceLogSum",
          "ReduceLogSumExp",
          "ReduceProd",
          "ReduceMax",
          "ReduceMin");
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

  static Stream<Arguments> folds() {
    List<Arguments> cases = new ArrayList<>();
    for (DType dtype : List.of(DType.FLOAT32, DType.FLOAT64, DType.INT32, DType.INT64)) {
      for (String op : FOLDS) {
        if (Fold.of(op, dtype).isPresent()) {
          cases.add(Arguments.of(op, dtype, 1)); // strided rows
          if (dtype == DType.FLOAT32) {
            cases.add(Arguments.of(op, dtype, 2)); // contiguous rows
          }
        }
      }
    }
    return cases.stream();
  }

  @ParameterizedTest(name = "{0} {1} axis {2}")
  @MethodSource("folds")
  void everyFoldMatchesTheReferenceOnContiguousAndStridedRows(String op, DType dtype, int axis) {
    Tensor x =
        values(new Random(op.hashCode() * 31L + axis), dtype, !op.equals("ReduceSum"), 4, 70, 5);
    assertFoldMatches(op, x, axis);
  }

  static Stream<Arguments> emptyFolds() {
    return Stream.of(DType.FLOAT32, DType.INT32)
        .flatMap(
            dtype ->
                FOLDS.stream()
                    .filter(op -> Fold.of(op, dtype).isPresent())
                    .map(op -> Arguments.of(op, dtype)));
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("emptyFolds")
  void foldsOverNoElementsGiveTheReferenceIdentity(String op, DType dtype) {
    assertFoldMatches(op, Tensor.allocate(dtype, 2, 0, 4), 1);
  }

  @Test
  void maxAndMinKeepNaN() {
    Tensor x = values(new Random(3), DType.FLOAT32, false, 3, 40, 2);
    x.setDouble(17, Double.NaN);
    x.setDouble(2 * 80 + 9, Double.NaN);
    for (String op : List.of("ReduceMax", "ReduceMin", "ReduceLogSumExp")) {
      assertFoldMatches(op, x, 1);
      assertFoldMatches(op, x, 2);
    }
  }

  @Test
  void argMaxAndArgMinBreakTiesAndOrderNaNAsTheReference() {
    Random random = new Random(7);
    double[] pool = {0.0, -0.0, 1.0, 1.0, -1.0, Double.NaN};
    Tensor floats = Tensor.allocate(DType.FLOAT32, 3, 37, 5);
    Tensor longs = Tensor.allocate(DType.INT64, 3, 37, 5);
    for (int i = 0; i < floats.size(); i++) {
      floats.setDouble(i, pool[random.nextInt(i % 7 == 0 ? pool.length : pool.length - 1)]);
      longs.setLong(i, random.nextInt(3) - 1 + (i % 11 == 0 ? Long.MAX_VALUE - 1 : 0));
    }
    for (Tensor x : List.of(floats, longs)) {
      for (String op : List.of("ArgMax", "ArgMin")) {
        for (int last = 0; last <= 1; last++) {
          for (int axis = 1; axis < 3; axis++) {
            for (int group : x.dtype().isFloat() ? new int[] {4, 64} : new int[] {64}) {
              assertArgumentMatches(op, x, axis, last == 1, group);
            }
          }
        }
      }
    }
  }

  private static void assertFoldMatches(String op, Tensor x, int axis) {
    Tensor expected =
        Reference.evaluate(
            op,
            new Attributes(
                Map.of(
                    "axes",
                    new Attribute.Ints(new long[] {axis}),
                    "keepdims",
                    new Attribute.IntValue(0))),
            11,
            x);
    RowGeometry rows = rows(x, axis);
    int group = RowKernels.groupSize(rows.length());
    KernelSource kernel =
        RowKernels.reduce(
            "fold", group, rows.strided(), Fold.of(op, x.dtype()).orElseThrow(), x.dtype());
    Tensor actual = launch(kernel, x, rows, group, expected);
    for (int i = 0; i < expected.size(); i++) {
      String where = op + " " + x.dtype() + " axis " + axis + " element " + i;
      if (x.dtype().isFloat()) {
        double e = expected.getDouble(i);
        double a = actual.getDouble(i);
        double tolerance =
            x.dtype() == DType.FLOAT64 ? 1e-12 * Math.abs(e) : 1e-4 * Math.abs(e) + 1e-5;
        assertTrue(
            Double.isNaN(e) ? Double.isNaN(a) : e == a || Math.abs(a - e) <= tolerance,
            where + ": " + a + ", not " + e);
      } else {
        assertEquals(expected.getLong(i), actual.getLong(i), where);
      }
    }
  }

  private static void assertArgumentMatches(
      String op, Tensor x, int axis, boolean last, int group) {
    Tensor expected =
        Reference.evaluate(
            op,
            new Attributes(
                Map.of(
                    "axis",
                    new Attribute.IntValue(axis),
                    "select_last_index",
                    new Attribute.IntValue(last ? 1 : 0))),
            13,
            x);
    RowGeometry rows = rows(x, axis);
    KernelSource kernel =
        RowKernels.argExtremum(
            "extremum", group, rows.strided(), x.dtype(), op.equals("ArgMax"), last);
    Tensor actual = launch(kernel, x, rows, group, expected);
    for (int i = 0; i < expected.size(); i++) {
      assertEquals(
          expected.getLong(i),
          actual.getLong(i),
          op
              + " "
              + x.dtype()
              + " axis "
              + axis
              + (last ? " last" : " first")
              + " group "
              + group
              + " element "
              + i);
    }
  }

  private static RowGeometry rows(Tensor x, int axis) {
    SortedSet<Integer> axes = new TreeSet<>(List.of(axis));
    return RowGeometry.ofReduced(Dims.of(x.shape()), axes).orElseThrow();
  }

  /** Runs the kernel and reads its output back as a tensor shaped like {@code expected}. */
  private static Tensor launch(
      KernelSource kernel, Tensor x, RowGeometry rows, int group, Tensor expected) {
    int words = Math.max(1, expected.size() * expected.dtype().byteSize() / 4);
    float[] raw =
        runner.launch(
            kernel,
            List.of(x),
            words,
            Dims.constants(RowKernels.globalSize(rows, group)),
            Dims.constants(RowKernels.localSize(rows, group)),
            (int) rows.length().constant());
    ByteBuffer bytes = ByteBuffer.allocate(raw.length * 4).order(ByteOrder.LITTLE_ENDIAN);
    for (float f : raw) {
      bytes.putInt(Float.floatToRawIntBits(f));
    }
    return Tensor.wrap(expected.dtype(), expected.shape(), bytes.flip());
  }

  /**
   * Gaussian floats (positive ones for the logarithms), or small integers for the integer types.
   */
  private static Tensor values(Random random, DType dtype, boolean positive, long... shape) {
    Tensor t = Tensor.allocate(dtype, shape);
    for (int i = 0; i < t.size(); i++) {
      if (dtype.isFloat()) {
        double v = random.nextGaussian();
        t.setDouble(i, positive ? 0.5 + Math.abs(v) : v);
      } else {
        t.setLong(i, random.nextInt(7) - 3);
      }
    }
    return t;
  }
}
