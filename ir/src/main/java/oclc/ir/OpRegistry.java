package oclc.ir;

import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import oclc.ir.ops.DataMovementOps;
import oclc.ir.ops.ElementwiseOps;
import oclc.ir.ops.LinearAlgebraOps;
import oclc.ir.ops.MicrosoftOps;
import oclc.ir.ops.ReductionOps;
import oclc.ir.ops.ShapeOps;

/** The ops oclc supports, by domain and type: the one list to extend when adding an op. */
public final class OpRegistry {
  private static final OpRegistry STANDARD =
      new OpRegistry(
          List.of(
              ElementwiseOps.definitions(),
              ReductionOps.definitions(),
              ShapeOps.definitions(),
              DataMovementOps.definitions(),
              LinearAlgebraOps.definitions(),
              MicrosoftOps.definitions()));

  private final Map<String, OpDefinition> byKey;

  private OpRegistry(List<List<OpDefinition>> groups) {
    Map<String, OpDefinition> map = new TreeMap<>();
    for (List<OpDefinition> group : groups) {
      for (OpDefinition op : group) {
        if (map.put(key(op.domain(), op.opType()), op) != null) {
          throw new IllegalStateException("op " + op.opType() + " is defined twice");
        }
      }
    }
    byKey = Collections.unmodifiableMap(map);
  }

  /** A registry of just these definitions (tests, experiments). */
  public static OpRegistry of(List<OpDefinition> definitions) {
    return new OpRegistry(List.of(definitions));
  }

  public static OpRegistry standard() {
    return STANDARD;
  }

  public Optional<OpDefinition> find(String domain, String opType) {
    return Optional.ofNullable(byKey.get(key(domain, opType)));
  }

  public Optional<OpDefinition> find(Node node) {
    return find(node.domain(), node.opType());
  }

  public Collection<OpDefinition> all() {
    return byKey.values();
  }

  /** Whether some op of {@code domain} is defined ("" or "ai.onnx": the default domain). */
  public boolean knowsDomain(String domain) {
    String normalized = domain.equals("ai.onnx") ? "" : domain;
    return byKey.values().stream().anyMatch(op -> op.domain().equals(normalized));
  }

  /** {@code opType} in the default domain ("" or "ai.onnx"), {@code domain:opType} elsewhere. */
  public static String key(String domain, String opType) {
    return domain.isEmpty() || domain.equals("ai.onnx") ? opType : domain + ":" + opType;
  }
}
