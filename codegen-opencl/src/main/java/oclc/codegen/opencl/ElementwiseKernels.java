package oclc.codegen.opencl;

import static oclc.codegen.opencl.ElementTypes.bufferType;
import static oclc.codegen.opencl.ElementTypes.computeType;
import static oclc.codegen.opencl.ElementTypes.copyType;
import static oclc.codegen.opencl.ElementTypes.domain;
import static oclc.codegen.opencl.ElementTypes.storage;
import static oclc.codegen.opencl.ElementTypes.suffix;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.IntStream;
import oclc.codegen.opencl.ElementTypes.Domain;
import oclc.ir.DType;
import oclc.ir.Node;
import oclc.ir.OpRegistry;
import oclc.ir.ops.UnaryOp;
import oclc.lowering.BroadcastGeometry;
import oclc.templates.KernelTemplates;

/**
 * The kernels of {@code elementwise.stg}. Java picks the template, the dictionary key (an op, or an
 * op and the attribute that selects its form) and the types; the template spells the kernel.
 */
public final class ElementwiseKernels {
  private static final String FAMILY = "elementwise";

  private ElementwiseKernels() {}

  /** A scalar argument of a kernel after its count: C type, name, and the value the node gives. */
  public record Parameter(String type, String name, Number value) {}

  /**
   * A buffer as the templates' {@code load} and {@code store} spell it: its C type, and whether its
   * elements are float16 or bfloat16 bits, converted to and from float.
   */
  public record Storage(String type, boolean half, boolean bfloat) {}

  /** The op types of one input the templates can spell, for some element type. */
  public static Set<String> unaryOps() {
    return opTypes("Unary");
  }

  /** The op types of two (or, for Sum/Max/Min, any number of) broadcast inputs. */
  public static Set<String> binaryOps() {
    return opTypes("Binary");
  }

  private static Set<String> opTypes(String arity) {
    Set<String> ops = new TreeSet<>();
    for (Domain d : Domain.values()) {
      KernelTemplates.dictionaryKeys(FAMILY, d.templatePrefix + arity)
          .forEach(k -> ops.add(k.split(" ")[0]));
    }
    return ops;
  }

  /**
   * The dictionary key of a node: its op type, or its op type and the attribute that selects a
   * form.
   */
  static String expressionKey(Node node) {
    return switch (node.opType()) {
      case "Gelu" ->
          node.attributes().getString("approximate", "none").equals("tanh") ? "Gelu tanh" : "Gelu";
      case "Mod" -> node.attributes().getInt("fmod", 0) != 0 ? "Mod fmod" : "Mod";
      case "BitShift" -> "BitShift " + node.attributes().getString("direction");
      default -> node.opType();
    };
  }

  /**
   * The scalar parameters of an op: the number attributes its definition computes with ({@link
   * UnaryOp#scalars}), with the definition's defaults, named as the templates' expressions spell
   * them ({@code detect_negative} is {@code detectNegative}); floats are passed as the float32
   * attributes are, and widened where the kernel computes in double.
   */
  public static List<Parameter> parameters(Node node) {
    if (!(OpRegistry.standard().find(node).orElse(null) instanceof UnaryOp op)) {
      return List.of();
    }
    return op.scalars().stream()
        .map(
            scalar ->
                scalar.integer()
                    ? new Parameter(
                        "int", camelCase(scalar.name()), (int) scalar.valueIn(node.attributes()))
                    : new Parameter(
                        "float",
                        camelCase(scalar.name()),
                        (float) scalar.valueIn(node.attributes())))
        .toList();
  }

  private static String camelCase(String name) {
    StringBuilder result = new StringBuilder();
    boolean upper = false;
    for (char c : name.toCharArray()) {
      if (c == '_') {
        upper = true;
      } else {
        result.append(upper ? Character.toUpperCase(c) : c);
        upper = false;
      }
    }
    return result.toString();
  }

  private static String kernelName(String key, String types) {
    return key.toLowerCase(Locale.ROOT).replace(' ', '_') + "_" + types;
  }

  /** The expression of {@code key} for the domain of {@code type}, or an explanation why none. */
  private static String expression(String key, DType type, String arity) {
    Domain d = domain(type);
    String dictionary = d.templatePrefix + arity;
    if (!KernelTemplates.dictionaryKeys(FAMILY, dictionary).contains(key)) {
      throw new NotLowerableException("no elementwise kernel for " + key + " on " + type);
    }
    return KernelTemplates.render(FAMILY, dictionary + "Expression", Map.of("key", key));
  }

  /**
   * y = f(x), one work-item per element; the output type is the op's (bool for IsNaN, IsInf, Not).
   */
  public static KernelSource unary(Node node, DType input, DType output) {
    String key = expressionKey(node);
    String name = kernelName(key, suffix(input));
    String expression = expression(key, input, "Unary");
    return KernelSource.rendered(
        FAMILY,
        "unary",
        name,
        Map.of(
            "comment",
            key,
            "input",
            storage(input),
            "output",
            storage(output),
            "computeType",
            computeType(input),
            "expression",
            expression,
            "parameters",
            parameters(node),
            "fp64",
            input == DType.FLOAT64,
            "real",
            expression.contains("(real)")));
  }

  /**
   * y = a ∘ b, broadcast. The inputs share a type, except Pow's exponent, which is computed in the
   * base's float type or, for an integer base, as an integer.
   */
  public static KernelSource binary(Node node, DType left, DType right, DType output) {
    return binary(node, left, right, output, 3);
  }

  /** The same over a {@link BroadcastGeometry} of {@code axes} (3, or 4 with axis 0 looped). */
  public static KernelSource binary(Node node, DType left, DType right, DType output, int axes) {
    String key = expressionKey(node);
    boolean integerPower = key.equals("Pow") && !left.isFloat();
    if (integerPower && right.isFloat()) {
      throw new NotLowerableException(
          "Pow of an integer base to a float exponent truncates pow's result, which the "
              + "device's pow does not compute to the last bit as the reference does");
    }
    String types = suffix(left) + (left == right ? "" : "_" + suffix(right));
    String name = kernelName(key, types) + axesSuffix(axes);
    String rightCompute = left.isFloat() ? computeType(left) : computeType(right);
    return KernelSource.rendered(
        FAMILY,
        "binary",
        name,
        overAxes(
            axes,
            Map.ofEntries(
                Map.entry("comment", key),
                Map.entry("left", storage(left)),
                Map.entry("right", storage(right)),
                Map.entry("output", storage(output)),
                Map.entry("leftCompute", computeType(left)),
                Map.entry("rightCompute", rightCompute),
                Map.entry("expression", expression(key, left, "Binary")),
                Map.entry("helper", integerPower),
                Map.entry("fp64", left == DType.FLOAT64 || right == DType.FLOAT64))));
  }

  /**
   * Sum, Max, Min of {@code count} inputs of one type, folded; Mean divides the Sum by the count.
   */
  public static KernelSource nary(Node node, DType type, int count) {
    return nary(node, type, count, 3);
  }

  /** The same over a {@link BroadcastGeometry} of {@code axes} (3, or 4 with axis 0 looped). */
  public static KernelSource nary(Node node, DType type, int count, int axes) {
    boolean mean = node.opType().equals("Mean");
    String key = mean ? "Sum" : node.opType();
    if (mean && !type.isFloat()) {
      throw new NotLowerableException("Mean is defined for floats only, not " + type);
    }
    String name =
        node.opType().toLowerCase(Locale.ROOT) + count + "_" + suffix(type) + axesSuffix(axes);
    return KernelSource.rendered(
        FAMILY,
        "nary",
        name,
        overAxes(
            axes,
            Map.of(
                "comment",
                node.opType(),
                "element",
                storage(type),
                "computeType",
                computeType(type),
                "expression",
                expression(key, type, "Binary"),
                "inputs",
                IntStream.range(0, count).boxed().toList(),
                "mean",
                mean,
                "fp64",
                type == DType.FLOAT64)));
  }

  /** Where(condition, x, y) for values of any type the kernels hold. */
  public static KernelSource select(DType value) {
    return select(value, 3);
  }

  /** The same over a {@link BroadcastGeometry} of {@code axes}; values are copied as their bits. */
  public static KernelSource select(DType value, int axes) {
    String name = "where_" + suffix(value) + axesSuffix(axes);
    return KernelSource.rendered(
        FAMILY,
        "select",
        name,
        overAxes(axes, Map.of("valueType", copyType(value), "fp64", value == DType.FLOAT64)));
  }

  /** Every element one (true for bool): the mask of an inference Dropout. */
  public static KernelSource ones(DType type) {
    return KernelSource.rendered(FAMILY, "ones", "ones_" + suffix(type), ofType("output", type));
  }

  /**
   * The arguments of a kernel over one element type: its storage type under {@code storageKey}, the
   * type it computes in, and whether it needs fp64.
   */
  private static Map<String, Object> ofType(String storageKey, DType type) {
    Map<String, Object> arguments = new java.util.HashMap<>();
    arguments.put(storageKey, storage(type));
    arguments.put("computeType", computeType(type));
    arguments.put("fp64", type == DType.FLOAT64);
    return arguments;
  }

  /** Kernels over four axes are named apart from the three-axis ones. */
  private static String axesSuffix(int axes) {
    return switch (axes) {
      case 3 -> "";
      case 4 -> "_4axes";
      default ->
          throw new IllegalArgumentException("broadcast kernels have 3 or 4 axes, not " + axes);
    };
  }

  /** A broadcast kernel's arguments and its axes: {@code axes} of them, the first looped at 4. */
  private static Map<String, Object> overAxes(int axes, Map<String, Object> arguments) {
    Map<String, Object> all = new java.util.HashMap<>(arguments);
    all.put("axes", IntStream.range(0, axes).boxed().toList());
    all.put("looped", axes == 4);
    return all;
  }

  /** Clip with its bounds in one-element buffers of the input's type. */
  public static KernelSource clip(DType type) {
    Map<String, Object> arguments = ofType("element", type);
    arguments.put(
        "expression",
        KernelTemplates.render(
            FAMILY, "clipKindExpression", Map.of("key", type.isFloat() ? "float" : "integer")));
    return KernelSource.rendered(FAMILY, "clip", "clip_" + suffix(type), arguments);
  }

  /** Cast (and CastLike) from one element type to another, as the reference converts. */
  public static KernelSource cast(DType from, DType to) {
    String kind = castKind(from, to);
    String name = "cast_" + suffix(from) + "_to_" + suffix(to);
    boolean wide = from == DType.INT64 || from == DType.UINT64;
    boolean fp64 = from == DType.FLOAT64 || to == DType.FLOAT64 || wide && to.isFloat();
    return KernelSource.rendered(
        FAMILY,
        "cast",
        name,
        Map.of(
            "comment",
            "Cast " + from + " to " + to,
            "input",
            storage(from),
            "output",
            storage(to),
            "valueType",
            narrowFloat(from) ? "float" : bufferType(from),
            "expression",
            KernelTemplates.render(FAMILY, "castKindExpression", Map.of("key", kind)),
            "fp64",
            fp64));
  }

  private static boolean narrowFloat(DType type) {
    return type == DType.FLOAT16 || type == DType.BFLOAT16;
  }

  /** Which conversion of {@code castExpression} turns {@code from} into {@code to}. */
  static String castKind(DType from, DType to) {
    bufferType(from);
    bufferType(to);
    if (to.isBool()) {
      return "toBool";
    }
    if (narrowFloat(to)) {
      return switch (from) {
        case FLOAT32, FLOAT16, BFLOAT16 -> "value";
        case INT64 -> "int64ToNarrowFloat";
        case UINT64 -> "uint64ToNarrowFloat";
        default -> "toNarrowFloat";
      };
    }
    if (from.isFloat() && to.isInteger()) {
      return to == DType.UINT64 ? "floatToUint64" : "floatToInteger";
    }
    if (to == DType.FLOAT32 && from == DType.INT64) {
      return "int64ToFloat";
    }
    if (to.isFloat() && from == DType.UINT64) {
      return "uint64ToFloat";
    }
    return "value";
  }
}
