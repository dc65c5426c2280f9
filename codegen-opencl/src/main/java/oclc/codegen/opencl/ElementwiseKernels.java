package oclc.codegen.opencl;

import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import oclc.ir.DType;
import oclc.ir.Node;
import oclc.ir.TensorType;
import oclc.templates.KernelTemplates;

/** Lowers elementwise nodes to the kernels of {@code elementwise.stg}. */
public final class ElementwiseKernels {
  private static final String FAMILY = "elementwise";

  private ElementwiseKernels() {}

  /** The ops the templates can spell, read from the templates themselves. */
  public static Set<String> unaryOps() {
    return KernelTemplates.dictionaryKeys(FAMILY, "unaryExpression");
  }

  public static Set<String> binaryOps() {
    return KernelTemplates.dictionaryKeys(FAMILY, "binaryExpression");
  }

  /** The kernel for a float32 elementwise node (unary, binary or Where), or empty when this family does not cover it. */
  public static Optional<KernelSource> lower(Node node, TensorType outputType) {
    if (outputType.dtype() != DType.FLOAT32) {
      return Optional.empty();
    }
    String kernelName = node.opType().toLowerCase(Locale.ROOT) + "_f32";
    if (unaryOps().contains(node.opType()) && node.inputs().size() == 1) {
      return Optional.of(new KernelSource(kernelName,
          KernelTemplates.render(FAMILY, "unary", Map.of("kernelName", kernelName, "opType", node.opType()))));
    }
    if (node.opType().equals("Where") && node.inputs().size() == 3) {
      return Optional.of(new KernelSource("where_f32",
          KernelTemplates.render(FAMILY, "select", Map.of("kernelName", "where_f32"))));
    }
    if (binaryOps().contains(node.opType()) && node.inputs().size() == 2) {
      return Optional.of(new KernelSource(kernelName,
          KernelTemplates.render(FAMILY, "binary", Map.of("kernelName", kernelName, "opType", node.opType()))));
    }
    return Optional.empty();
  }
}
