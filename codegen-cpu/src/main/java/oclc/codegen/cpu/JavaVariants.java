package oclc.codegen.cpu;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import oclc.artifact.Manifest.Argument;
import oclc.artifact.Manifest.Dispatch;
import oclc.artifact.Manifest.Variant;
import oclc.ir.DType;
import oclc.ir.Dim;
import oclc.ir.Node;
import oclc.lowering.Dims;

/** What the Java family lowerings build their variants from. */
final class JavaVariants {
  private JavaVariants() {}

  static boolean allFloat32(Node node, JavaLowering context) {
    return node.inputs().stream()
            .filter(i -> !i.isEmpty())
            .allMatch(i -> context.dtype(i) == DType.FLOAT32)
        && node.outputs().stream()
            .filter(o -> !o.isEmpty())
            .allMatch(o -> context.dtype(o) == DType.FLOAT32);
  }

  /**
   * Whether every value of the node is float16 but those of {@code others} (inputs by index, of the
   * types the op takes there): a float32 kernel then runs staged ({@link #kernel}).
   */
  static boolean allFloat16(Node node, JavaLowering context, int... others) {
    for (int i = 0; i < node.inputs().size(); i++) {
      int input = i;
      boolean other = java.util.Arrays.stream(others).anyMatch(o -> o == input);
      String value = node.inputs().get(i);
      if (!other && !value.isEmpty() && context.dtype(value) != DType.FLOAT16) {
        return false;
      }
    }
    return node.outputs().stream()
        .filter(o -> !o.isEmpty())
        .allMatch(o -> context.dtype(o) == DType.FLOAT16);
  }

  /**
   * The kernel of {@code spec} named {@code name}, or with {@code half} the same kernel over
   * float16 operands converted as it reads and writes them (its last operand written).
   */
  static String kernel(JavaLowering context, String name, JavaKernelSpec spec, boolean half) {
    return half
        ? context.kernel(name + "_f16", new JavaKernelSpec.Float16(spec, 1))
        : context.kernel(name, spec);
  }

  static Variant single(String variant, Dispatch dispatch) {
    return new Variant(variant, List.of(), List.of(dispatch));
  }

  static Dispatch dispatch(String kernel, List<Argument> arguments, Dim work) {
    return new Dispatch(kernel, arguments, List.of(work), List.of());
  }

  /** The one variant of one dispatch of {@code kernel}: the node's inputs, then its output. */
  static Optional<List<Variant>> oneDispatch(
      String kernel, Node node, JavaLowering context, Dim work) {
    return Optional.of(
        List.of(single(kernel, dispatch(kernel, readsThenWrites(node, context), work))));
  }

  static List<Argument> readsThenWrites(Node node, JavaLowering context) {
    List<Argument> arguments = new ArrayList<>();
    node.inputs().forEach(i -> arguments.add(context.read(i)));
    arguments.add(new Argument.Buffer(node.outputs().get(0)));
    return arguments;
  }

  static Dim elements(JavaLowering context, String value) {
    return Dims.product(context.shape(value));
  }
}
