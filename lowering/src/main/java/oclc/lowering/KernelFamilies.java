package oclc.lowering;

import java.util.Collections;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import oclc.ir.Node;

/** Which kernel family takes a node: the one map from an op to its family. */
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

  private KernelFamilies() {}

  /** The family of a node's op; empty outside the ONNX default domain or outside every family. */
  public static Optional<KernelFamily> of(Node node) {
    return node.domain().isEmpty() || node.domain().equals("ai.onnx")
        ? of(node.opType())
        : Optional.empty();
  }

  /** The family of an op type of the ONNX default domain. */
  public static Optional<KernelFamily> of(String opType) {
    return Optional.ofNullable(BY_OP.get(opType));
  }

  /** Every op type some family takes, with its family. */
  public static Map<String, KernelFamily> all() {
    return Collections.unmodifiableMap(BY_OP);
  }
}
