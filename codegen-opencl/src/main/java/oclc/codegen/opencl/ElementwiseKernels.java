package oclc.codegen.opencl;

import static oclc.codegen.opencl.ElementTypes.bufferType;
import static oclc.codegen.opencl.ElementTypes.computeType;
import static oclc.codegen.opencl.ElementTypes.domain;
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
import oclc.templates.KernelTemplates;

/**
 * The kernels of {@code elementwise.stg}. Java picks the template, the dictionary key (an op, or
 * an op and the attribute that selects its form) and the types; the template spells the kernel.
 */
public final class ElementwiseKernels {
  private static final String FAMILY = "elementwise";

  private ElementwiseKernels() {}

  /** A scalar argument of a kernel after its count: C type, name, and the value the node gives. */
  public record Parameter(String type, String name, Number value) {}

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
      KernelTemplates.dictionaryKeys(FAMILY, d.templatePrefix + arity).forEach(k -> ops.add(k.split(" ")[0]));
    }
    return ops;
  }

  /** The dictionary key of a node: its op type, or its op type and the attribute that selects a form. */
  static String expressionKey(Node node) {
    return switch (node.opType()) {
      case "Gelu" -> node.attributes().getString("approximate", "none").equals("tanh") ? "Gelu tanh" : "Gelu";
      case "Mod" -> node.attributes().getInt("fmod", 0) != 0 ? "Mod fmod" : "Mod";
      case "BitShift" -> "BitShift " + node.attributes().getString("direction");
      default -> node.opType();
    };
  }

  /**
   * The scalar parameters of an op, from its attributes with the reference's defaults; floats are
   * passed as the float32 attributes are, and widened where the kernel computes in double.
   */
  public static List<Parameter> parameters(Node node) {
    var a = node.attributes();
    return switch (node.opType()) {
      case "HardSigmoid" -> List.of(real("alpha", a.getFloat("alpha", 0.2f)), real("beta", a.getFloat("beta", 0.5f)));
      case "LeakyRelu" -> List.of(real("alpha", a.getFloat("alpha", 0.01f)));
      case "Elu", "Celu", "ThresholdedRelu" -> List.of(real("alpha", a.getFloat("alpha", 1f)));
      case "Selu" -> List.of(real("alpha", a.getFloat("alpha", (float) 1.67326319217681884765625)),
          real("gamma", a.getFloat("gamma", (float) 1.05070102214813232421875)));
      case "Shrink" -> List.of(real("bias", a.getFloat("bias", 0f)), real("lambd", a.getFloat("lambd", 0.5f)));
      case "IsInf" -> List.of(new Parameter("int", "detectNegative", (int) a.getInt("detect_negative", 1)),
          new Parameter("int", "detectPositive", (int) a.getInt("detect_positive", 1)));
      default -> List.of();
    };
  }

  private static Parameter real(String name, float value) {
    return new Parameter("float", name, value);
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

  /** y = f(x), one work-item per element; the output type is the op's (bool for IsNaN, IsInf, Not). */
  public static KernelSource unary(Node node, DType input, DType output) {
    String key = expressionKey(node);
    String name = kernelName(key, suffix(input));
    String expression = expression(key, input, "Unary");
    return new KernelSource(name, KernelTemplates.render(FAMILY, "unary", Map.of(
        "kernelName", name, "comment", key, "inputType", bufferType(input), "outputType", bufferType(output),
        "computeType", computeType(input), "expression", expression, "parameters", parameters(node),
        "fp64", input == DType.FLOAT64, "real", expression.contains("(real)"))));
  }

  /**
   * y = a ∘ b, broadcast. The inputs share a type, except Pow's exponent, which is computed in
   * the base's float type or, for an integer base, as an integer.
   */
  public static KernelSource binary(Node node, DType left, DType right, DType output) {
    String key = expressionKey(node);
    boolean integerPower = key.equals("Pow") && !left.isFloat();
    if (integerPower && right.isFloat()) {
      throw new NotLowerableException("Pow of an integer base to a float exponent truncates pow's result, which the "
          + "device's pow does not compute to the last bit as the reference does");
    }
    String types = suffix(left) + (left == right ? "" : "_" + suffix(right));
    String name = kernelName(key, types);
    String rightCompute = left.isFloat() ? computeType(left) : computeType(right);
    return new KernelSource(name, KernelTemplates.render(FAMILY, "binary", Map.of(
        "kernelName", name, "comment", key, "leftType", bufferType(left), "rightType", bufferType(right),
        "outputType", bufferType(output), "leftCompute", computeType(left), "rightCompute", rightCompute,
        "expression", expression(key, left, "Binary"), "helper", integerPower,
        "fp64", left == DType.FLOAT64 || right == DType.FLOAT64)));
  }

  /** Sum, Max, Min of {@code count} inputs of one type, folded; Mean divides the Sum by the count. */
  public static KernelSource nary(Node node, DType type, int count) {
    boolean mean = node.opType().equals("Mean");
    String key = mean ? "Sum" : node.opType();
    if (mean && !type.isFloat()) {
      throw new NotLowerableException("Mean is defined for floats only, not " + type);
    }
    String name = node.opType().toLowerCase(Locale.ROOT) + count + "_" + suffix(type);
    return new KernelSource(name, KernelTemplates.render(FAMILY, "nary", Map.of(
        "kernelName", name, "comment", node.opType(), "elementType", bufferType(type),
        "computeType", computeType(type), "expression", expression(key, type, "Binary"),
        "inputs", IntStream.range(0, count).boxed().toList(), "mean", mean,
        "fp64", type == DType.FLOAT64)));
  }

  /** Where(condition, x, y) for values of any type the kernels hold. */
  public static KernelSource select(DType value) {
    String name = "where_" + suffix(value);
    return new KernelSource(name, KernelTemplates.render(FAMILY, "select", Map.of(
        "kernelName", name, "valueType", bufferType(value), "fp64", value == DType.FLOAT64)));
  }

  /** Clip with its bounds in one-element buffers of the input's type. */
  public static KernelSource clip(DType type) {
    String name = "clip_" + suffix(type);
    return new KernelSource(name, KernelTemplates.render(FAMILY, "clip", Map.of(
        "kernelName", name, "elementType", bufferType(type), "computeType", computeType(type),
        "expression", KernelTemplates.render(FAMILY, "clipKindExpression", Map.of("key", type.isFloat() ? "float" : "integer")),
        "fp64", type == DType.FLOAT64)));
  }

  /** Cast (and CastLike) from one element type to another, as the reference converts. */
  public static KernelSource cast(DType from, DType to) {
    String kind = castKind(from, to);
    String name = "cast_" + suffix(from) + "_to_" + suffix(to);
    boolean fp64 = from == DType.FLOAT64 || to == DType.FLOAT64 || kind.endsWith("ToFloat");
    return new KernelSource(name, KernelTemplates.render(FAMILY, "cast", Map.of(
        "kernelName", name, "comment", "Cast " + from + " to " + to, "inputType", bufferType(from),
        "outputType", bufferType(to), "expression", KernelTemplates.render(FAMILY, "castKindExpression", Map.of("key", kind)),
        "fp64", fp64)));
  }

  /** Which conversion of {@code castExpression} turns {@code from} into {@code to}. */
  static String castKind(DType from, DType to) {
    bufferType(from);
    bufferType(to);
    if (to.isBool()) {
      return "toBool";
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
