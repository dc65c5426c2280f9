package oclc.codegen.cpu;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import oclc.artifact.Manifest.Variant;
import oclc.ir.Node;

/**
 * The Java lowering of each op, as the kernel families' declarations ({@code oclc.families}) hand
 * them to {@link JavaLowering}: op (its type in the ONNX default domain, {@code domain:type}
 * elsewhere) to the Java side of its family.
 */
public final class JavaLowerings {
  private final Map<String, JavaFamily> byOp;

  private JavaLowerings(Map<String, JavaFamily> byOp) {
    this.byOp = Collections.unmodifiableMap(new TreeMap<>(byOp));
  }

  /** Op type to the Java side of its family. */
  public static JavaLowerings of(Map<String, JavaFamily> byOp) {
    return new JavaLowerings(byOp);
  }

  /** A node's Java variants; empty where it takes the reference fallback. */
  Optional<List<Variant>> lower(Node node, JavaLowering context) {
    JavaFamily family = byOp.get(node.qualifiedOpType());
    return family == null ? Optional.empty() : family.lower(node, context);
  }

  /**
   * Op type → how the java backend computes it: "vector" (a Vector API kernel), "java" (a plain
   * Java kernel), "copy" (strided block copies), "view"; ops not listed take the reference
   * fallback.
   */
  public Map<String, String> kinds() {
    Map<String, String> kinds = new TreeMap<>();
    byOp.forEach((op, family) -> family.kind(op).ifPresent(kind -> kinds.put(op, kind)));
    return kinds;
  }
}
