package oclc.codegen.opencl;

import java.util.Map;
import java.util.Optional;
import oclc.ir.Node;

/** The user kernels of a compile: by node name (first) and by op type. */
public record KernelOverrides(Map<String, UserKernel> byNode, Map<String, UserKernel> byOpType) {
  public KernelOverrides {
    byNode = Map.copyOf(byNode);
    byOpType = Map.copyOf(byOpType);
  }

  public static KernelOverrides none() {
    return new KernelOverrides(Map.of(), Map.of());
  }

  public Optional<UserKernel> find(Node node) {
    UserKernel kernel = byNode.get(node.name());
    return Optional.ofNullable(kernel != null ? kernel : byOpType.get(node.opType()));
  }

  public boolean isEmpty() {
    return byNode.isEmpty() && byOpType.isEmpty();
  }
}
