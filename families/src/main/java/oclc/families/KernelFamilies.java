package oclc.families;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import oclc.codegen.cpu.JavaFamily;
import oclc.codegen.cpu.JavaLowerings;
import oclc.codegen.opencl.Lowerings;
import oclc.codegen.opencl.NodeLowering;
import oclc.ir.Node;

/**
 * Which kernel family takes a node, the one map from an op to its family, and each backend's
 * lowerings as the families declare them ({@link #openCl}, {@link #java}).
 */
public final class KernelFamilies {
  private static final Map<String, KernelFamily> BY_OP = new TreeMap<>();

  static {
    for (KernelFamily family : KernelFamily.values()) {
      for (String op : family.ops()) {
        KernelFamily before = BY_OP.put(op, family);
        if (before != null) {
          throw new IllegalStateException(
              op + " is in two kernel families: " + before + ", " + family);
        }
      }
    }
  }

  private static final Lowerings OPEN_CL = openClLowerings();
  private static final JavaLowerings JAVA = javaLowerings();

  private KernelFamilies() {}

  /** The family of a node's op; empty outside every family. */
  public static Optional<KernelFamily> of(Node node) {
    return of(node.qualifiedOpType());
  }

  /**
   * The family of an op: its type in the ONNX default domain, {@code domain:type} elsewhere ({@link
   * oclc.ir.OpRegistry#key}).
   */
  public static Optional<KernelFamily> of(String opType) {
    return Optional.ofNullable(BY_OP.get(opType));
  }

  /** Every op type some family takes, with its family. */
  public static Map<String, KernelFamily> all() {
    return Collections.unmodifiableMap(BY_OP);
  }

  /** The OpenCL lowering of every op some family's OpenCL lowering has kernels for. */
  public static Lowerings openCl() {
    return OPEN_CL;
  }

  /** The Java lowering of every op some family takes (those without a kernel fall back). */
  public static JavaLowerings java() {
    return JAVA;
  }

  /** The op types that have OpenCL kernels. */
  public static Set<String> openClOps() {
    return OPEN_CL.opTypes();
  }

  /**
   * Op type → how the java backend computes it: "vector" (a Vector API kernel), "java" (a plain
   * Java kernel), "copy" (strided block copies), "view"; ops not listed take the reference
   * fallback.
   */
  public static Map<String, String> javaKinds() {
    return JAVA.kinds();
  }

  private static Lowerings openClLowerings() {
    Map<String, NodeLowering> byOp = new LinkedHashMap<>();
    BY_OP.forEach(
        (op, family) -> family.openCl().lowering(op).ifPresent(lowering -> byOp.put(op, lowering)));
    return Lowerings.of(byOp);
  }

  private static JavaLowerings javaLowerings() {
    Map<String, JavaFamily> byOp = new LinkedHashMap<>();
    BY_OP.forEach((op, family) -> byOp.put(op, family.java()));
    return JavaLowerings.of(byOp);
  }
}
