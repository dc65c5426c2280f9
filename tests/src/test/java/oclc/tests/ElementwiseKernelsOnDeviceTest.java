package oclc.tests;

import static oclc.tests.support.DeviceAsserts.assertMatches;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import oclc.codegen.opencl.ElementwiseKernels;
import oclc.codegen.opencl.GatherKernels;
import oclc.codegen.opencl.KernelSource;
import oclc.ir.Attribute;
import oclc.ir.Attributes;
import oclc.ir.DType;
import oclc.ir.Dim;
import oclc.ir.Node;
import oclc.ir.Tensor;
import oclc.lowering.BroadcastGeometry;
import oclc.lowering.Dims;
import oclc.runtime.KernelBuildException;
import oclc.runtime.OpenClContext;
import oclc.tests.support.KernelRunner;
import oclc.tests.support.Reference;
import oclc.tests.support.TypedValues;
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
    List<long[][]> shapes =
        List.of(
            new long[][] {{2, 5, 64}, {64}},
            new long[][] {{2, 4, 3, 7}, {1, 1, 3, 7}},
            new long[][] {{3, 1}, {1, 4}},
            new long[][] {{6}, {6}});
    List<Arguments> cases = new ArrayList<>();
    for (String op : List.of("Add", "Sub", "Mul", "Div", "Pow", "Max", "Min")) {
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
    KernelSource kernel =
        ElementwiseKernels.binary(
            node(op, 2, Attributes.NONE), DType.FLOAT32, DType.FLOAT32, DType.FLOAT32);
    float[] out =
        runner.launch(
            kernel,
            List.of(left.toFloatArray(), right.toFloatArray()),
            expected.size(),
            Dims.constants(geometry.globalSize()),
            null,
            boxed(Dims.constants(geometry.scalarArguments())));
    assertMatches(expected, out);
  }

  static Stream<String> unaryOps() {
    return ElementwiseKernels.unaryOps().stream()
        .filter(op -> Reference.accepts(op, Attributes.NONE, 23, List.of(DType.FLOAT32)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("unaryOps")
  void unaryKernelMatchesTheReference(String op) {
    Random random = new Random(op.hashCode());
    boolean positiveOnly = op.equals("Log") || op.equals("Sqrt");
    Tensor x = Reference.random(random, positiveOnly, 3, 37);
    Tensor expected = Reference.evaluate(op, Attributes.NONE, 23, x);
    KernelSource kernel =
        ElementwiseKernels.unary(node(op, 1, Attributes.NONE), DType.FLOAT32, expected.dtype());
    Tensor out =
        runner.launch(
            kernel,
            List.of(x),
            expected.dtype(),
            x.shape(),
            new long[] {x.size()},
            null,
            unaryScalars(op, Attributes.NONE, x.size()));
    assertElementsMatch(expected, out);
  }

  /** Element types the typed cases run over: every type the kernels hold. */
  private static final List<DType> TYPES =
      List.of(
          DType.FLOAT32,
          DType.FLOAT64,
          DType.INT8,
          DType.UINT8,
          DType.INT16,
          DType.UINT16,
          DType.INT32,
          DType.UINT32,
          DType.INT64,
          DType.UINT64,
          DType.BOOL);

  /** An op with the attributes that select one of its forms. */
  record Form(String op, Attributes attributes) {
    @Override
    public String toString() {
      return op + (attributes.byName().isEmpty() ? "" : " " + attributes.byName().values());
    }
  }

  private static List<Form> forms(Set<String> ops) {
    List<Form> forms = new ArrayList<>();
    for (String op : ops) {
      switch (op) {
        case "Mod" -> {
          forms.add(new Form(op, Attributes.NONE));
          forms.add(new Form(op, attributes("fmod", new Attribute.IntValue(1L))));
        }
        case "BitShift" -> {
          forms.add(new Form(op, attributes("direction", new Attribute.StringValue("LEFT"))));
          forms.add(new Form(op, attributes("direction", new Attribute.StringValue("RIGHT"))));
        }
        case "Gelu" -> {
          forms.add(new Form(op, Attributes.NONE));
          forms.add(new Form(op, attributes("approximate", new Attribute.StringValue("tanh"))));
        }
        case "LeakyRelu", "Elu", "Celu", "ThresholdedRelu" ->
            forms.add(new Form(op, attributes("alpha", new Attribute.FloatValue(0.7f))));
        case "IsInf" -> {
          forms.add(new Form(op, Attributes.NONE));
          forms.add(new Form(op, attributes("detect_positive", new Attribute.IntValue(0L))));
        }
        default -> forms.add(new Form(op, Attributes.NONE));
      }
    }
    return forms;
  }

  private static Attributes attributes(String name, Attribute value) {
    return new Attributes(Map.of(name, value));
  }

  static Stream<Arguments> typedBinaryCases() {
    List<Arguments> cases = new ArrayList<>();
    for (Form form : forms(ElementwiseKernels.binaryOps())) {
      for (DType type : TYPES) {
        if (Reference.accepts(form.op(), form.attributes(), 23, List.of(type, type))) {
          cases.add(Arguments.of(form, type, type));
        }
      }
    }
    for (DType exponent : List.of(DType.INT32, DType.INT64, DType.UINT8)) {
      cases.add(Arguments.of(new Form("Pow", Attributes.NONE), DType.INT64, exponent));
      cases.add(Arguments.of(new Form("Pow", Attributes.NONE), DType.UINT32, exponent));
      cases.add(Arguments.of(new Form("Pow", Attributes.NONE), DType.FLOAT32, exponent));
    }
    return cases.stream();
  }

  @ParameterizedTest(name = "{0} {1} {2}")
  @MethodSource("typedBinaryCases")
  void typedBinaryKernelMatchesTheReference(Form form, DType leftType, DType rightType) {
    Random random = new Random(form.toString().hashCode() * 31L + leftType.ordinal());
    long[] shape = {3, 41};
    Tensor left =
        TypedValues.of(random, leftType, form.op().equals("Pow"), form.op().equals("Pow"), shape);
    boolean nonZero = form.op().equals("Div") || form.op().equals("Mod");
    Tensor right =
        form.op().equals("Pow") && !rightType.isFloat()
            ? TypedValues.exponents(random, rightType, 41)
            : form.op().equals("BitShift")
                ? TypedValues.shifts(random, rightType, 41)
                : TypedValues.of(random, rightType, form.op().equals("Pow"), nonZero, 41);
    Tensor expected = Reference.evaluate(form.op(), form.attributes(), 23, left, right);
    BroadcastGeometry geometry = BroadcastGeometry.of(expected.shape(), shape, right.shape());
    KernelSource kernel =
        ElementwiseKernels.binary(
            node(form.op(), 2, form.attributes()), leftType, rightType, expected.dtype());
    Tensor out =
        runner.launch(
            kernel,
            List.of(left, right),
            expected.dtype(),
            expected.shape(),
            Dims.constants(geometry.globalSize()),
            null,
            boxed(Dims.constants(geometry.scalarArguments())));
    assertElementsMatch(expected, out);
  }

  static Stream<Arguments> typedUnaryCases() {
    List<Arguments> cases = new ArrayList<>();
    for (Form form : forms(ElementwiseKernels.unaryOps())) {
      for (DType type : TYPES) {
        if (type != DType.FLOAT32
                && Reference.accepts(form.op(), form.attributes(), 23, List.of(type))
            || type == DType.FLOAT32 && !form.attributes().byName().isEmpty()) {
          cases.add(Arguments.of(form, type));
        }
      }
    }
    return cases.stream();
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("typedUnaryCases")
  void typedUnaryKernelMatchesTheReference(Form form, DType type) {
    Random random = new Random(form.toString().hashCode() * 31L + type.ordinal());
    // Acosh's and Gelu's reference formulas cancel to -Inf where the functions are NaN or 0·∞.
    boolean gaussian = type.isFloat() && (form.op().equals("Acosh") || form.op().equals("Gelu"));
    Tensor x =
        gaussian
            ? Reference.random(random, false, 5, 23)
            : TypedValues.of(random, type, false, false, 5, 23);
    if (gaussian && type == DType.FLOAT64) {
      x =
          Reference.evaluate(
              "Cast", attributes("to", new Attribute.IntValue(DType.FLOAT64.onnxCode())), 23, x);
    }
    Tensor expected = Reference.evaluate(form.op(), form.attributes(), 23, x);
    KernelSource kernel =
        ElementwiseKernels.unary(node(form.op(), 1, form.attributes()), type, expected.dtype());
    Tensor out =
        runner.launch(
            kernel,
            List.of(x),
            expected.dtype(),
            x.shape(),
            new long[] {x.size()},
            null,
            unaryScalars(form.op(), form.attributes(), x.size()));
    assertElementsMatch(expected, out);
  }

  static Stream<Arguments> castCases() {
    List<Arguments> cases = new ArrayList<>();
    for (DType from : TYPES) {
      for (DType to : TYPES) {
        cases.add(Arguments.of(from, to));
      }
    }
    return cases.stream();
  }

  /**
   * Casts of edge values (NaN, infinities, halves, values beyond the target's range) convert as the
   * reference does.
   */
  @ParameterizedTest(name = "{0} to {1}")
  @MethodSource("castCases")
  void castConvertsAsTheReference(DType from, DType to) {
    Tensor x =
        TypedValues.of(new Random(from.ordinal() * 17L + to.ordinal()), from, false, false, 97);
    Attributes toType = attributes("to", new Attribute.IntValue(to.onnxCode()));
    Tensor expected = Reference.evaluate("Cast", toType, 23, x);
    Tensor out =
        runner.launch(
            ElementwiseKernels.cast(from, to),
            List.of(x),
            to,
            x.shape(),
            new long[] {x.size()},
            null,
            x.size());
    assertElementsMatch(expected, out);
  }

  static Stream<DType> types() {
    return TYPES.stream();
  }

  /** Clip orders its values: every type but bool. */
  static Stream<DType> orderedTypes() {
    return TYPES.stream().filter(t -> t != DType.BOOL);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("types")
  void whereSelectsValuesOfEveryType(DType type) {
    Random random = new Random(type.ordinal());
    Tensor condition = TypedValues.of(random, DType.BOOL, false, false, 4, 1);
    Tensor x = TypedValues.of(random, type, false, false, 4, 9);
    Tensor y = TypedValues.of(random, type, false, false, 9);
    Tensor expected = Reference.evaluate("Where", Attributes.NONE, 16, condition, x, y);
    BroadcastGeometry geometry =
        BroadcastGeometry.of(expected.shape(), condition.shape(), x.shape(), y.shape());
    Tensor out =
        runner.launch(
            ElementwiseKernels.select(type),
            List.of(condition, x, y),
            type,
            expected.shape(),
            Dims.constants(geometry.globalSize()),
            null,
            boxed(Dims.constants(geometry.scalarArguments())));
    assertElementsMatch(expected, out);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("orderedTypes")
  void clipClampsToItsBoundsInTheTypesOwnOrder(DType type) {
    Random random = new Random(type.ordinal());
    Tensor x = TypedValues.of(random, type, false, false, 61);
    Tensor low = Tensor.allocate(type);
    Tensor high = Tensor.allocate(type);
    low.setLong(0, type.isUnsigned() ? 3 : -3);
    high.setLong(0, type == DType.UINT64 ? -5 : 100); // uint64: all but the top four values
    Tensor expected = Reference.evaluate("Clip", Attributes.NONE, 13, x, low, high);
    Tensor out =
        runner.launch(
            ElementwiseKernels.clip(type),
            List.of(x, low, high),
            type,
            x.shape(),
            new long[] {x.size()},
            null,
            x.size());
    assertElementsMatch(expected, out);
  }

  static Stream<Arguments> naryCases() {
    return Stream.of(
        Arguments.of("Sum", DType.INT32, 3),
        Arguments.of("Max", DType.UINT64, 3),
        Arguments.of("Min", DType.FLOAT32, 1),
        Arguments.of("Mean", DType.FLOAT64, 3),
        Arguments.of("Max", DType.FLOAT32, 4));
  }

  @ParameterizedTest(name = "{0} {1} of {2}")
  @MethodSource("naryCases")
  void variadicOpsFoldTheirBroadcastInputs(String op, DType type, int count) {
    Random random = new Random(op.hashCode() + count);
    long[][] shapes = {{2, 3, 5}, {5}, {3, 1}, {1, 1, 5}};
    Tensor[] inputs = new Tensor[count];
    for (int k = 0; k < count; k++) {
      inputs[k] = TypedValues.of(random, type, false, false, shapes[k]);
    }
    Tensor expected = Reference.evaluate(op, Attributes.NONE, 13, inputs);
    BroadcastGeometry geometry =
        BroadcastGeometry.of(
            Dims.of(expected.shape()), Arrays.stream(inputs).map(t -> Dims.of(t.shape())).toList());
    Tensor out =
        runner.launch(
            ElementwiseKernels.nary(node(op, count, Attributes.NONE), type, count),
            List.of(inputs),
            type,
            expected.shape(),
            Dims.constants(geometry.globalSize()),
            null,
            boxed(Dims.constants(geometry.scalarArguments())));
    assertElementsMatch(expected, out);
  }

  private static Node node(String op, int inputs, Attributes attributes) {
    List<String> names = IntStream.range(0, inputs).mapToObj(i -> "in" + i).toList();
    return new Node("n", "", op, names, List.of("out"), attributes);
  }

  private static Number[] unaryScalars(String op, Attributes attributes, int count) {
    List<Number> scalars = new ArrayList<>(List.of(count));
    ElementwiseKernels.parameters(node(op, 1, attributes)).forEach(p -> scalars.add(p.value()));
    return scalars.toArray(Number[]::new);
  }

  /**
   * Integers and bools exactly; floats with NaN and infinities where the reference has them, and
   * finite values within float rounding of the reference's double computation.
   */
  private static void assertElementsMatch(Tensor expected, Tensor actual) {
    assertEquals(expected.dtype(), actual.dtype());
    for (int i = 0; i < expected.size(); i++) {
      if (!expected.dtype().isFloat()) {
        assertEquals(expected.getLong(i), actual.getLong(i), "element " + i + " of " + expected);
        continue;
      }
      double e = expected.getDouble(i);
      double a = actual.getDouble(i);
      if (Double.isNaN(e) || Double.isInfinite(e)) {
        assertEquals(e, a, "element " + i);
      } else {
        double tolerance =
            expected.dtype() == DType.FLOAT64
                ? 1e-7 * Math.abs(e) + 1e-9
                : 1e-5 * Math.abs(e) + 1e-6;
        assertTrue(
            Math.abs(a - e) <= tolerance,
            "element " + i + ": " + a + " but the reference has " + e);
      }
    }
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
    BroadcastGeometry geometry =
        BroadcastGeometry.of(expected.shape(), mask.shape(), scores.shape(), fill.shape());
    KernelSource kernel = ElementwiseKernels.select(DType.FLOAT32);
    assertMatches(
        expected,
        runner.launch(
            kernel,
            List.of(mask, scores, fill),
            expected.size(),
            Dims.constants(geometry.globalSize()),
            null,
            boxed(Dims.constants(geometry.scalarArguments()))));
  }

  /**
   * Broadcasts that alternate over four collapsed axes loop the outermost inside each work-item.
   */
  @Test
  void broadcastsOverFourAxesLoopTheOutermost() {
    Random random = new Random(4);
    long[] shape = {3, 4, 5, 6};
    Tensor left = Reference.random(random, false, 1, 4, 1, 6);
    Tensor right = Reference.random(random, false, 3, 1, 5, 6);
    Tensor sum = Reference.evaluate("Add", Attributes.NONE, 14, left, right);
    BroadcastGeometry geometry = BroadcastGeometry.of(shape, left.shape(), right.shape());
    assertEquals(4, geometry.axisCount());
    KernelSource add =
        ElementwiseKernels.binary(
            node("Add", 2, Attributes.NONE), DType.FLOAT32, DType.FLOAT32, DType.FLOAT32, 4);
    assertMatches(
        sum,
        runner.launch(
            add,
            List.of(left, right),
            sum.size(),
            Dims.constants(geometry.globalSize()),
            null,
            boxed(Dims.constants(geometry.scalarArguments()))));

    Tensor condition = TypedValues.of(random, DType.BOOL, false, false, 3, 1, 5, 1);
    Tensor fill = Tensor.ofFloats(new long[] {1}, -1e4f);
    Tensor scores = Reference.random(random, false, shape);
    Tensor selected = Reference.evaluate("Where", Attributes.NONE, 16, condition, fill, scores);
    geometry = BroadcastGeometry.of(shape, condition.shape(), fill.shape(), scores.shape());
    assertMatches(
        selected,
        runner.launch(
            ElementwiseKernels.select(DType.FLOAT32, 4),
            List.of(condition, fill, scores),
            selected.size(),
            Dims.constants(geometry.globalSize()),
            null,
            boxed(Dims.constants(geometry.scalarArguments()))));

    Tensor[] inputs = {
      TypedValues.of(random, DType.INT32, false, false, 3, 1, 5, 1),
      TypedValues.of(random, DType.INT32, false, false, 4, 1, 6),
      TypedValues.of(random, DType.INT32, false, false, shape)
    };
    Tensor total = Reference.evaluate("Sum", Attributes.NONE, 13, inputs);
    geometry =
        BroadcastGeometry.of(
            Dims.of(shape), Arrays.stream(inputs).map(t -> Dims.of(t.shape())).toList());
    Tensor out =
        runner.launch(
            ElementwiseKernels.nary(node("Sum", 3, Attributes.NONE), DType.INT32, 3, 4),
            List.of(inputs),
            DType.INT32,
            shape,
            Dims.constants(geometry.globalSize()),
            null,
            boxed(Dims.constants(geometry.scalarArguments())));
    assertElementsMatch(total, out);
  }

  @Test
  void gatherLooksUpRowsWithNegativeIndices() {
    Tensor table = Reference.random(new Random(8), false, 50, 16);
    Tensor indices = Tensor.ofLongs(new long[] {2, 3}, 0, 49, -1, 7, 7, 20);
    Tensor expected = Reference.evaluate("Gather", Attributes.NONE, 13, table, indices);
    assertMatches(
        expected,
        runner.launch(
            GatherKernels.rows(DType.FLOAT32),
            List.of(table, indices),
            expected.size(),
            Dims.constants(GatherKernels.globalSize(Dim.of(16), Dim.of(indices.size()))),
            null,
            50,
            16));
  }

  private static Long[] boxed(long[] values) {
    return Arrays.stream(values).boxed().toArray(Long[]::new);
  }

  @Test
  void aKernelThatDoesNotCompileShowsTheDeviceBuildLog() {
    KernelBuildException e =
        assertThrows(
            KernelBuildException.class,
            () ->
                device.buildFromSource(
                    "broken",
                    "__kernel void broken(__global float* y) { y[0] = undeclared_name; }",
                    ""));
    assertTrue(e.getMessage().startsWith("kernel 'broken' failed to build for "), e.getMessage());
    assertTrue(e.getMessage().contains("undeclared_name"), e.getMessage());
  }

  @Test
  void aBuiltBinaryLoadsBackAndRunsTheSame() {
    KernelSource kernel =
        ElementwiseKernels.unary(node("Tanh", 1, Attributes.NONE), DType.FLOAT32, DType.FLOAT32);
    cl_program fromSource = device.buildFromSource(kernel.kernelName(), kernel.source(), "");
    byte[] binary = device.binaryOf(fromSource);
    CL.clReleaseProgram(fromSource);
    assertTrue(binary.length > 0);
    cl_program fromBinary = device.buildFromBinary(kernel.kernelName(), binary, "");
    CL.clReleaseProgram(fromBinary);
  }
}
