package oclc.codegen.opencl;

import java.util.Collections;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import oclc.ir.Node;

/**
 * The OpenCL lowering of each op, as the kernel families' declarations ({@code oclc.families}) hand
 * them to {@link GraphLowering}: op (its type in the ONNX default domain, {@code domain:type}
 * elsewhere) to the lowering of its family.
 */
public final class Lowerings {
  private final Map<String, NodeLowering> byOp;

  private Lowerings(Map<String, NodeLowering> byOp) {
    this.byOp = Collections.unmodifiableMap(new TreeMap<>(byOp));
  }

  /**
   * Op type to the lowering of its family, for the ops each lowering {@link NodeLowering#lowers}.
   */
  public static Lowerings of(Map<String, NodeLowering> byOp) {
    return new Lowerings(byOp);
  }

  /** The lowering of a node's op; empty without an OpenCL kernel. */
  public Optional<NodeLowering> find(Node node) {
    return Optional.ofNullable(byOp.get(node.qualifiedOpType()));
  }

  /** The op types with an OpenCL kernel. */
  public Set<String> opTypes() {
    return byOp.keySet();
  }
}
