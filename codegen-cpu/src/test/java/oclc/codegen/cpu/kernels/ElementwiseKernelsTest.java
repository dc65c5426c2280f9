package oclc.codegen.cpu.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.Set;
import java.util.stream.IntStream;
import oclc.codegen.cpu.JavaKernelSpec;
import oclc.codegen.cpu.linalg.WorkerPool;
import oclc.ir.Attribute;
import oclc.ir.Attributes;
import oclc.ir.DType;
import oclc.ir.EvaluationContext;
import oclc.ir.Node;
import oclc.ir.OpDefinition;
import oclc.ir.OpRegistry;
import oclc.ir.Tensor;
import oclc.ir.ops.ScalarAttribute;
import oclc.ir.ops.UnaryOp;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every float32 elementwise kernel of the Java backend against its op's reference evaluation
 * ({@link OpRegistry}): the ops come from {@link JavaKernels#unaryOps()} and {@link
 * JavaKernels#binaryOps()}, so a new kernel is covered without touching this test; the integer
 * powers against Pow, and Where. Inputs are random over many magnitudes plus the domain edges
 * ({@link #EDGES}: zeros of both signs, negatives for Log and Sqrt, |x| where Exp overflows and
 * Tanh and Sigmoid saturate, subnormals, infinities, NaN), laid out so that the launches have
 * vector runs, scalar tails, broadcasts and strided rows split over three threads.
 *
 * <p>Tolerance: NaN exactly where the reference has NaN, infinities equal, and otherwise within
 * {@link #ARITHMETIC_ULPS} units in the last place for ops that are one IEEE operation (correctly
 * rounded in float32 as in the reference's double rounded to float32) and within {@link
 * #APPROXIMATE_ULPS} for the others: the Vector API's transcendental functions are allowed 1 ulp of
 * their own, and Sigmoid and the integer powers round at each float32 step. Results below the
 * smallest normal float (2^-126) are equal to each other: Sigmoid's exp(-x) overflows float32 for x
 * below about -88.7, so the kernel gives 0 where the reference, in double, gives a subnormal. Pow's
 * IEEE special cases, where Java's Math.pow differs, accept either answer ({@link #ieeePowers}).
 */
class ElementwiseKernelsTest {
  private static final WorkerPool POOL = new WorkerPool(3);

  /** An opset in which every one of these ops has the meaning the kernels implement. */
  private static final long OPSET = 21;

  private static final int ARITHMETIC_ULPS = 0;
  private static final int APPROXIMATE_ULPS = 4;

  /**
   * Launches per check: the JIT compiles the Vector API loops into the machine's vector
   * instructions (its own exp, tanh and pow among them, 1 ulp off where the scalar path is not)
   * only once they are hot, and that compiled path is the one a model runs.
   */
  private static final int RUNS = 200;

  /** One IEEE operation each (or none): the vector result must equal the reference's rounding. */
  private static final Set<String> ARITHMETIC =
      Set.of(
          "Add",
          "Sub",
          "Mul",
          "Div",
          "Max",
          "Min",
          "Neg",
          "Abs",
          "Relu",
          "Identity",
          "Reciprocal",
          "Sqrt");

  /** Where the ops change behaviour, first and last in every input (so that some fall in tails). */
  private static final float[] EDGES = {
    0f,
    -0f,
    1f,
    -1f,
    0.5f,
    -0.5f,
    2f,
    -3f,
    9f,
    -9f,
    20f,
    -20f,
    88.72f,
    88.73f,
    -87.33f,
    -103.9f,
    -104f,
    100f,
    -100f,
    1e4f,
    -1e4f,
    1e-30f,
    -1e-30f,
    Float.MIN_VALUE,
    -Float.MIN_VALUE,
    Float.MIN_NORMAL,
    Float.MAX_VALUE,
    -Float.MAX_VALUE,
    Float.POSITIVE_INFINITY,
    Float.NEGATIVE_INFINITY,
    Float.NaN
  };

  @AfterAll
  static void close() {
    POOL.close();
  }

  static List<String> unaryOps() {
    return JavaKernels.unaryOps();
  }

  static List<String> binaryOps() {
    return JavaKernels.binaryOps();
  }

  static IntStream powerExponents() {
    return IntStream.rangeClosed(1, 4); // the integer powers JavaPow gives their own kernel
  }

  /**
   * An op whose definition declares number attributes ({@link UnaryOp#scalars}) runs with values
   * other than their defaults, given to the kernel and to the reference alike.
   */
  @ParameterizedTest
  @MethodSource("unaryOps")
  void unaryKernelMatchesTheOpsReferenceEvaluation(String op) {
    List<ScalarAttribute> declared =
        reference(op) instanceof UnaryOp definition ? definition.scalars() : List.of();
    Map<String, Attribute> given = new LinkedHashMap<>();
    float[] scalars = new float[declared.size()];
    for (int i = 0; i < scalars.length; i++) {
      scalars[i] = (float) declared.get(i).defaultValue() + 0.5f;
      given.put(declared.get(i).name(), new Attribute.FloatValue(scalars[i]));
    }
    unaryAgainstReference(
        new JavaKernelSpec.Unary(op, 0, scalars), new Attributes(given), reference(op), null);
  }

  @ParameterizedTest
  @MethodSource("powerExponents")
  void smallIntegerPowerMatchesPowsReferenceEvaluation(int exponent) {
    Tensor e = Tensor.ofFloats(new long[0], exponent);
    unaryAgainstReference(
        new JavaKernelSpec.Unary("PowInt", exponent, new float[0]),
        Attributes.NONE,
        reference("Pow"),
        e);
  }

  @ParameterizedTest
  @MethodSource("binaryOps")
  void binaryKernelMatchesTheOpsReferenceEvaluationUnderEveryBroadcast(String op) {
    int m = 97;
    int n = 1027;
    Random random = new Random(op.hashCode());
    float[] a = inputs(random, m * n);
    for (long[] bShape : new long[][] {{m, n}, {m, 1}, {n}, {1}}) {
      float[] b = inputs(random, Tensor.elementCount(bShape));
      float[] c = poisoned(m * n);
      run(
          new JavaKernelSpec.Binary(op),
          contiguous(a, m, n),
          contiguous(b, bShape),
          contiguous(c, m, n));
      Tensor x = Tensor.ofFloats(new long[] {m, n}, a);
      Tensor y = Tensor.ofFloats(bShape, b);
      assertMatches(
          op + " with b of shape " + Arrays.toString(bShape),
          allowedUlps(op),
          evaluate(reference(op), x, y),
          op.equals("Pow") ? ieeePowers(x, y) : null,
          c);
    }
  }

  @Test
  void whereMatchesItsReferenceEvaluationUnderBroadcastConditionsAndOperands() {
    int m = 97;
    int n = 1027;
    Random random = new Random(11);
    float[] x = inputs(random, m * n);
    for (long[] conditionShape : new long[][] {{m, n}, {m, 1}, {n}}) {
      int count = Tensor.elementCount(conditionShape);
      boolean[] picks = new boolean[count];
      float[] bytes =
          new float
              [(count + 3) / 4]; // the Java backend's buffers are float[]; bools take a byte each
      MemorySegment segment = MemorySegment.ofArray(bytes);
      for (int i = 0; i < count; i++) {
        picks[i] = random.nextBoolean();
        segment.set(java.lang.foreign.ValueLayout.JAVA_BYTE, i, (byte) (picks[i] ? 1 : 0));
      }
      Operand condition =
          new Operand(
              "c",
              DType.BOOL,
              bytes,
              segment,
              0,
              conditionShape,
              Tensor.rowMajorStrides(conditionShape));
      float[] y = {-7.5f};
      float[] out = poisoned(m * n);
      run(
          new JavaKernelSpec.Where(),
          condition,
          contiguous(x, m, n),
          contiguous(y, 1),
          contiguous(out, m, n));
      Tensor expected =
          evaluate(
              reference("Where"),
              Tensor.ofBools(conditionShape, picks),
              Tensor.ofFloats(new long[] {m, n}, x),
              Tensor.ofFloats(new long[] {1}, y));
      assertMatches(
          "Where with a condition of shape " + Arrays.toString(conditionShape),
          0,
          expected,
          null,
          out);
    }
  }

  /**
   * The kernel on a contiguous vector (vector runs and a tail) and on a transposed matrix (strided
   * rows split over the pool), against the reference on the same values; {@code extra} is a second
   * reference input (Pow's exponent), or null.
   */
  private static void unaryAgainstReference(
      JavaKernelSpec.Unary spec, Attributes attributes, OpDefinition reference, Tensor extra) {
    Random random = new Random(Objects.hash(spec.op(), spec.exponent()));
    int allowed = allowedUlps(spec.op());
    int n = 70_001;
    float[] x = inputs(random, n);
    float[] y = poisoned(n);
    run(spec, contiguous(x, n), contiguous(y, n));
    assertMatches(
        spec + " on " + n + " contiguous elements",
        allowed,
        evaluate(reference, attributes, withExtra(Tensor.ofFloats(new long[] {n}, x), extra)),
        null,
        y);

    int rows = 61;
    int columns = 257;
    float[] columnMajor = inputs(random, rows * columns);
    Operand transposed =
        new Operand(
            "x",
            DType.FLOAT32,
            columnMajor,
            MemorySegment.ofArray(columnMajor),
            0,
            new long[] {rows, columns},
            new long[] {1, rows});
    float[] logical = new float[rows * columns];
    for (int r = 0; r < rows; r++) {
      for (int c = 0; c < columns; c++) {
        logical[r * columns + c] = columnMajor[c * rows + r];
      }
    }
    float[] out = poisoned(rows * columns);
    run(spec, transposed, contiguous(out, rows, columns));
    assertMatches(
        spec + " on a transposed " + rows + "x" + columns + " matrix",
        allowed,
        evaluate(
            reference,
            attributes,
            withExtra(Tensor.ofFloats(new long[] {rows, columns}, logical), extra)),
        null,
        out);
  }

  private static Tensor[] withExtra(Tensor x, Tensor extra) {
    return extra == null ? new Tensor[] {x} : new Tensor[] {x, extra};
  }

  private static void run(JavaKernelSpec spec, Operand... operands) {
    CpuKernel kernel = JavaKernels.create(spec, POOL, null);
    kernel.bind(operands, new long[0]);
    for (int i = 0; i < RUNS; i++) {
      kernel.run();
    }
  }

  private static OpDefinition reference(String op) {
    return OpRegistry.standard()
        .find("", op)
        .orElseThrow(
            () ->
                new AssertionError("the Java kernel's op " + op + " has no reference definition"));
  }

  private static Tensor evaluate(OpDefinition reference, Tensor... inputs) {
    return evaluate(reference, Attributes.NONE, inputs);
  }

  private static Tensor evaluate(OpDefinition reference, Attributes attributes, Tensor... inputs) {
    List<String> names = IntStream.range(0, inputs.length).mapToObj(i -> "x" + i).toList();
    Node node = new Node("node", "", reference.opType(), names, List.of("y"), attributes);
    return reference.evaluate(new EvaluationContext(node, OPSET, List.of(inputs))).getFirst();
  }

  /** The edges first and last (so some fall in tails), random values of every magnitude between. */
  private static float[] inputs(Random random, int count) {
    float[] values = new float[count];
    for (int i = 0; i < count; i++) {
      values[i] =
          switch (random.nextInt(3)) {
            case 0 -> random.nextFloat() * 4 - 2;
            case 1 ->
                (random.nextBoolean() ? 1 : -1)
                    * (float) Math.pow(2, random.nextDouble() * 40 - 30);
            default -> EDGES[random.nextInt(EDGES.length)];
          };
    }
    for (int i = 0; i < EDGES.length && i < count; i++) {
      values[i] = EDGES[i];
      values[count - 1 - i] = EDGES[i];
    }
    return values;
  }

  private static float[] poisoned(int n) {
    float[] a = new float[n];
    Arrays.fill(a, Float.NaN);
    return a;
  }

  private static Operand contiguous(float[] array, long... shape) {
    return new Operand(
        "v",
        DType.FLOAT32,
        array,
        MemorySegment.ofArray(array),
        0,
        shape,
        Tensor.rowMajorStrides(shape));
  }

  private static int allowedUlps(String op) {
    return ARITHMETIC.contains(op) ? ARITHMETIC_ULPS : APPROXIMATE_ULPS;
  }

  /**
   * Pow where IEEE 754 (C's pow, OpenCL's, numpy's, and the Vector API's once compiled) and Java's
   * Math.pow (the reference, and the kernel's scalar path) disagree: 1 to any power, NaN included,
   * and -1 to an infinite one are 1 in IEEE and NaN in Java. Either answer is accepted there until
   * the reference settles which ONNX means; elsewhere this is the reference.
   */
  private static Tensor ieeePowers(Tensor x, Tensor y) {
    return oclc.ir.ops.ElementwiseKernels.broadcast(
        List.of(x, y),
        DType.FLOAT32,
        (out, i, in, index) -> {
          double base = in.get(0).getDouble(index[0]);
          double exponent = in.get(1).getDouble(index[1]);
          boolean one = base == 1 || base == -1 && Double.isInfinite(exponent);
          out.setDouble(i, one ? 1 : Math.pow(base, exponent));
        });
  }

  /** {@code alternative}: a second accepted result per element (exactly), or null. */
  private static void assertMatches(
      String what, int allowed, Tensor expected, Tensor alternative, float[] actual) {
    assertEquals(expected.size(), actual.length, what);
    List<String> misses = new ArrayList<>();
    long worst = 0;
    for (int i = 0; i < actual.length; i++) {
      float e = expected.getFloat(i);
      float a = actual[i];
      long distance =
          alternative != null && Float.compare(alternative.getFloat(i), a) == 0
              ? 0
              : Float.isNaN(e) || Float.isNaN(a)
                  ? (Float.isNaN(e) == Float.isNaN(a) ? 0 : Long.MAX_VALUE)
                  : Math.abs(e) < Float.MIN_NORMAL && Math.abs(a) < Float.MIN_NORMAL
                      ? 0
                      : ulps(e, a);
      worst = Math.max(worst, distance);
      if (distance > allowed && misses.size() < 10) {
        misses.add(
            "element "
                + i
                + ": reference "
                + e
                + ", kernel "
                + a
                + " ("
                + (distance == Long.MAX_VALUE ? "NaN" : distance + " ulps")
                + ")");
      }
    }
    System.out.println(what + ": worst " + worst + " ulps");
    assertTrue(
        misses.isEmpty(), what + ", allowed " + allowed + " ulps:\n" + String.join("\n", misses));
  }

  /**
   * Units in the last place between two floats (0 for +0 and -0; infinities are one step past
   * MAX_VALUE).
   */
  private static long ulps(float x, float y) {
    return Math.abs(ordered(x) - ordered(y));
  }

  private static long ordered(float v) {
    int bits = Float.floatToIntBits(v);
    return bits < 0 ? -(long) (bits & 0x7fffffff) : bits;
  }
}
