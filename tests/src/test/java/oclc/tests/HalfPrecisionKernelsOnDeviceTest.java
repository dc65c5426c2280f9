package oclc.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import oclc.codegen.opencl.ElementwiseKernels;
import oclc.ir.Attribute;
import oclc.ir.Attributes;
import oclc.ir.DType;
import oclc.ir.Node;
import oclc.ir.Tensor;
import oclc.lowering.BroadcastGeometry;
import oclc.lowering.Dims;
import oclc.tests.support.KernelRunner;
import oclc.tests.support.Reference;
import oclc.tests.support.TypedValues;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * float16 and bfloat16 in the elementwise kernels, on the device against the reference: casts bit
 * for bit on the values conversions get wrong (NaN, infinities, signed zeros, subnormals, ties that
 * round to even, overflow to infinity, a double rounded twice), and ops computed in float within
 * one unit in the last place of the 16-bit result.
 */
class HalfPrecisionKernelsOnDeviceTest {
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

  /** Values at the edges of float16's and bfloat16's ranges and rounding, and of float32's. */
  private static final double[] NARROW_EDGES = {
    Double.NaN,
    -Double.NaN,
    Double.POSITIVE_INFINITY,
    Double.NEGATIVE_INFINITY,
    0.0,
    -0.0,
    1.0,
    -1.0,
    0x1p-24,
    -0x1p-24,
    0x1.8p-24,
    0x1p-25,
    0x1.0p-26,
    0x1.ff8p-15,
    0x1p-14, // float16 subnormals and ties
    65504,
    65519.99,
    65520,
    -65520,
    1e5, // float16's largest, rounding down, overflowing
    1 + 0x1p-11,
    1 + 0x3p-11,
    1 + 0x1p-11 + 0x1p-40,
    -(1 + 0x3p-11),
    2049,
    2051, // float16 ties to even
    1 + 0x1p-8,
    1 + 0x3p-8,
    -(1 + 0x3p-8),
    1 + 0x1p-8 + 0x1p-30,
    257,
    259, // bfloat16 ties to even
    0x1.fffffep127,
    -0x1.fffffep127,
    0x1.ff8p127,
    0x1p128, // bfloat16 overflow
    0x1p-130,
    -0x1p-133,
    0x1p-149,
    0x1.8p-127,
    0x1p-126,
    1e-40, // float32 subnormals (bfloat16 keeps some)
    0.1,
    -0.3,
    3.14159265358979,
    1e-3,
    123456.789,
    3e9,
    -3e9,
    1e30
  };

  /**
   * Integers that float16 and bfloat16 round to even, or overflow on, and the extremes of 64 bits.
   */
  private static final long[] INTEGER_EDGES = {
    0,
    1,
    -1,
    2049,
    2051,
    -2051,
    65504,
    65519,
    65520,
    -65520,
    257,
    259,
    (1 << 24) + 1,
    Integer.MAX_VALUE,
    Long.MAX_VALUE,
    Long.MIN_VALUE,
    (1L << 53) + 1,
    0x0FFF_FFFF_FFFF_FFFFL
  };

  private static Tensor narrowEdges(Random random, DType type, int size) {
    if (type.isBool()) {
      return TypedValues.of(random, type, false, false, size);
    }
    Tensor t = Tensor.allocate(type, size);
    for (int i = 0; i < size; i++) {
      if (type.isFloat()) {
        t.setDouble(i, i < NARROW_EDGES.length ? NARROW_EDGES[i] : 3 * random.nextGaussian());
      } else {
        t.setLong(i, i < INTEGER_EDGES.length ? INTEGER_EDGES[i] : random.nextInt(140000) - 70000);
      }
    }
    return t;
  }

  static Stream<Arguments> castCases() {
    DType f16 = DType.FLOAT16;
    DType bf16 = DType.BFLOAT16;
    return Stream.of(
        Arguments.of(DType.FLOAT32, f16),
        Arguments.of(DType.FLOAT32, bf16),
        Arguments.of(DType.FLOAT64, f16),
        Arguments.of(DType.FLOAT64, bf16),
        Arguments.of(f16, DType.FLOAT32),
        Arguments.of(bf16, DType.FLOAT32),
        Arguments.of(f16, DType.FLOAT64),
        Arguments.of(bf16, DType.FLOAT64),
        Arguments.of(f16, bf16),
        Arguments.of(bf16, f16),
        Arguments.of(f16, f16),
        Arguments.of(DType.INT64, f16),
        Arguments.of(DType.UINT64, bf16),
        Arguments.of(DType.INT32, bf16),
        Arguments.of(DType.UINT16, f16),
        Arguments.of(DType.BOOL, bf16),
        Arguments.of(f16, DType.INT32),
        Arguments.of(bf16, DType.UINT8),
        Arguments.of(f16, DType.UINT64),
        Arguments.of(bf16, DType.INT64),
        Arguments.of(f16, DType.BOOL),
        Arguments.of(bf16, DType.BOOL));
  }

  /** Every element equals the reference's bit for bit, but that any NaN stands for NaN. */
  @ParameterizedTest(name = "{0} to {1}")
  @MethodSource("castCases")
  void castsConvertEdgeValuesExactlyAsTheReference(DType from, DType to) {
    Tensor x = narrowEdges(new Random(from.ordinal() * 31L + to.ordinal()), from, 97);
    Tensor expected =
        Reference.evaluate("Cast", attributes("to", new Attribute.IntValue(to.onnxCode())), 23, x);
    Tensor out =
        runner.launch(
            ElementwiseKernels.cast(from, to),
            List.of(x),
            to,
            x.shape(),
            new long[] {x.size()},
            null,
            x.size());
    for (int i = 0; i < x.size(); i++) {
      String what = "element " + i + " (" + (from.isFloat() ? x.getDouble(i) : x.getLong(i)) + ")";
      if (!to.isFloat()) {
        assertEquals(expected.getLong(i), out.getLong(i), what);
      } else if (Double.isNaN(expected.getDouble(i))) {
        assertTrue(
            Double.isNaN(out.getDouble(i)),
            what + ": " + out.getDouble(i) + " but the reference has NaN");
      } else {
        assertEquals(
            Double.doubleToRawLongBits(expected.getDouble(i)),
            Double.doubleToRawLongBits(out.getDouble(i)),
            what + ": " + out.getDouble(i) + " but the reference has " + expected.getDouble(i));
      }
    }
  }

  static Stream<Arguments> opCases() {
    return Stream.of(
        Arguments.of("Exp", DType.FLOAT16),
        Arguments.of("Sigmoid", DType.BFLOAT16),
        Arguments.of("Celu", DType.FLOAT16),
        Arguments.of("Add", DType.BFLOAT16),
        Arguments.of("Div", DType.FLOAT16),
        Arguments.of("Pow", DType.FLOAT16),
        Arguments.of("Mod", DType.BFLOAT16),
        Arguments.of("Less", DType.FLOAT16),
        Arguments.of("Max", DType.BFLOAT16));
  }

  /** Unary and broadcast binary ops computed in float, rounded once to the 16-bit output. */
  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("opCases")
  void opsComputeInFloatAndRoundOnceToTheirType(String op, DType type) {
    Random random = new Random(op.hashCode() * 31L + type.ordinal());
    boolean positive = op.equals("Pow");
    Tensor a = narrowed(Reference.random(random, positive, 3, 37), type);
    if (!positive) {
      for (int i = 0; i < 12; i++) {
        a.setDouble(i, NARROW_EDGES[i]);
      }
    }
    Node node = node(op, ElementwiseKernels.unaryOps().contains(op) ? 1 : 2);
    Tensor expected;
    Tensor out;
    if (node.inputs().size() == 1) {
      expected = Reference.evaluate(op, Attributes.NONE, 23, a);
      List<Number> scalars = new java.util.ArrayList<>(List.of(a.size()));
      ElementwiseKernels.parameters(node).forEach(p -> scalars.add(p.value()));
      out =
          runner.launch(
              ElementwiseKernels.unary(node, type, expected.dtype()),
              List.of(a),
              expected.dtype(),
              a.shape(),
              new long[] {a.size()},
              null,
              scalars.toArray(Number[]::new));
    } else {
      Tensor b = narrowed(Reference.random(random, true, 37), type);
      expected = Reference.evaluate(op, Attributes.NONE, 23, a, b);
      BroadcastGeometry geometry = BroadcastGeometry.of(expected.shape(), a.shape(), b.shape());
      out =
          runner.launch(
              ElementwiseKernels.binary(node, type, type, expected.dtype()),
              List.of(a, b),
              expected.dtype(),
              expected.shape(),
              Dims.constants(geometry.globalSize()),
              null,
              longs(Dims.constants(geometry.scalarArguments())));
    }
    assertWithinOneUnit(expected, out);
  }

  @Test
  void whereAndVariadicMaxMoveAndFoldSixteenBitFloats() {
    Random random = new Random(16);
    Tensor condition = TypedValues.of(random, DType.BOOL, false, false, 4, 1);
    Tensor x = narrowed(Reference.random(random, false, 4, 9), DType.FLOAT16);
    Tensor y = narrowed(Reference.random(random, false, 9), DType.FLOAT16);
    Tensor expected = Reference.evaluate("Where", Attributes.NONE, 16, condition, x, y);
    BroadcastGeometry geometry =
        BroadcastGeometry.of(expected.shape(), condition.shape(), x.shape(), y.shape());
    Tensor selected =
        runner.launch(
            ElementwiseKernels.select(DType.FLOAT16),
            List.of(condition, x, y),
            DType.FLOAT16,
            expected.shape(),
            Dims.constants(geometry.globalSize()),
            null,
            longs(Dims.constants(geometry.scalarArguments())));
    assertEquals(expected.data(), selected.data());

    Tensor[] inputs = {
      narrowed(Reference.random(random, false, 2, 3, 5), DType.BFLOAT16),
      narrowed(Reference.random(random, false, 5), DType.BFLOAT16),
      narrowed(Reference.random(random, false, 3, 1), DType.BFLOAT16)
    };
    Tensor maximum = Reference.evaluate("Max", Attributes.NONE, 13, inputs);
    BroadcastGeometry g =
        BroadcastGeometry.of(
            Dims.of(maximum.shape()), Stream.of(inputs).map(t -> Dims.of(t.shape())).toList());
    Tensor out =
        runner.launch(
            ElementwiseKernels.nary(node("Max", 3), DType.BFLOAT16, 3),
            List.of(inputs),
            DType.BFLOAT16,
            maximum.shape(),
            Dims.constants(g.globalSize()),
            null,
            longs(Dims.constants(g.scalarArguments())));
    assertEquals(maximum.data(), out.data());
  }

  @Test
  void clipClampsSixteenBitFloatsAndDropoutMasksAreOnes() {
    Tensor x = narrowEdges(new Random(3), DType.BFLOAT16, 61);
    Tensor low = Tensor.ofDoubles(DType.BFLOAT16, new long[0], -2.5);
    Tensor high = Tensor.ofDoubles(DType.BFLOAT16, new long[0], 300);
    Tensor expected = Reference.evaluate("Clip", Attributes.NONE, 13, x, low, high);
    Tensor clipped =
        runner.launch(
            ElementwiseKernels.clip(DType.BFLOAT16),
            List.of(x, low, high),
            DType.BFLOAT16,
            x.shape(),
            new long[] {x.size()},
            null,
            x.size());
    for (int i = 0; i < x.size(); i++) {
      assertEquals(expected.getDouble(i), clipped.getDouble(i), "element " + i);
    }
    for (DType type : List.of(DType.BOOL, DType.FLOAT16, DType.BFLOAT16)) {
      Tensor ones =
          runner.launch(
              ElementwiseKernels.ones(type),
              List.of(),
              type,
              new long[] {3, 7},
              new long[] {21},
              null,
              21);
      IntStream.range(0, 21)
          .forEach(i -> assertEquals(1.0, ones.getDouble(i), type + " element " + i));
    }
  }

  /**
   * The same values, stored in {@code type} (so that the reference and the kernel read the same
   * inputs).
   */
  private static Tensor narrowed(Tensor t, DType type) {
    Tensor out = Tensor.allocate(type, t.shape());
    for (int i = 0; i < t.size(); i++) {
      out.setDouble(i, t.getDouble(i));
    }
    return out;
  }

  /**
   * Bools exactly; NaN and infinities where the reference has them; else within one unit of the
   * 16-bit type.
   */
  private static void assertWithinOneUnit(Tensor expected, Tensor actual) {
    assertEquals(expected.dtype(), actual.dtype());
    for (int i = 0; i < expected.size(); i++) {
      double e = expected.getDouble(i);
      double a = actual.getDouble(i);
      if (!expected.dtype().isFloat() || Double.isNaN(e) || Double.isInfinite(e)) {
        assertEquals(e, a, "element " + i);
      } else {
        double unit = Math.ulp((float) e) * (expected.dtype() == DType.FLOAT16 ? 0x1p13 : 0x1p16);
        assertTrue(
            Math.abs(a - e) <= Math.max(unit, 0x1p-24),
            "element " + i + ": " + a + " but the reference has " + e);
      }
    }
  }

  private static Node node(String op, int inputs) {
    return new Node(
        "n",
        "",
        op,
        IntStream.range(0, inputs).mapToObj(i -> "in" + i).toList(),
        List.of("out"),
        Attributes.NONE);
  }

  private static Attributes attributes(String name, Attribute value) {
    return new Attributes(Map.of(name, value));
  }

  private static Long[] longs(long[] values) {
    return java.util.Arrays.stream(values).boxed().toArray(Long[]::new);
  }
}
