package oclc.codegen.cpu;

import static oclc.codegen.cpu.JavaVariants.allFloat16;
import static oclc.codegen.cpu.JavaVariants.allFloat32;

import java.util.List;
import java.util.Optional;
import oclc.artifact.Manifest.Variant;
import oclc.ir.Node;
import oclc.ir.Tensor;

/** The Java side of the Pow family: a small whole constant exponent as multiplications. */
public final class JavaPow {
  private JavaPow() {}

  public static final JavaFamily FAMILY =
      JavaFamily.builder().op("Pow", "vector", JavaPow::pow).build();

  /**
   * x to a constant whole power 1..4 as multiplications (GPT-2's GELU cubes), float32 or float16;
   * else the vector pow.
   */
  static Optional<List<Variant>> pow(Node node, JavaLowering context) {
    Optional<Tensor> exponent = context.constant(node.inputs().get(1));
    if (exponent.isPresent()
        && exponent.get().size() == 1
        && (allFloat32(node, context) || allFloat16(node, context))) {
      double e = exponent.get().getDouble(0);
      if (e == Math.rint(e) && e >= 1 && e <= 4) {
        return JavaElementwise.unary(
            node.withInputs(List.of(node.inputs().get(0))), context, "PowInt", (int) e);
      }
    }
    return JavaElementwise.binary(node, context);
  }
}
