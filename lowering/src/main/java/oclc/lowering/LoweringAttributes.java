package oclc.lowering;

import java.util.List;
import java.util.Optional;
import oclc.artifact.Manifest;
import oclc.ir.Attribute;
import oclc.ir.Node;

/**
 * The decisions the lowering passes record in the graph, as node attributes of the reserved {@code
 * oclc.} namespace: every other reader of the graph (the reference executor, shape inference)
 * ignores them, so the annotated graph still runs as the ONNX graph it was, and its printed text
 * shows each decision. The code generators only read them.
 */
public final class LoweringAttributes {
  private LoweringAttributes() {}

  /** The namespace; no ONNX attribute starts with it. */
  public static final String PREFIX = "oclc.";

  /**
   * On a node that computes a pattern of the exporter's nodes (fuse-decomposed-norms): the names of
   * the nodes it replaces after its own (strings), the launch's {@code fused} list.
   */
  public static final String FUSED = PREFIX + "fused";

  /** On the same node: the values between the replaced nodes (strings), no buffer holds them. */
  public static final String INTERNAL = PREFIX + "internal";

  /**
   * On a Concat that appends to a KV cache (kv-cache-append): the cache's capacity along the
   * Concat's axis; its first input is the past, its output the present.
   */
  public static final String KV_CACHE_CAPACITY = PREFIX + "kv_cache_capacity";

  /**
   * On the first node of a fusion group (fusion-groups): {@link #EPILOGUE} (it is a product and the
   * group its epilogue) or {@link #CHAIN}.
   */
  public static final String FUSION_GROUP = PREFIX + "fusion_group";

  public static final String EPILOGUE = "epilogue";
  public static final String CHAIN = "chain";

  /** On the same node: the group's values that a node outside it reads (strings), stored. */
  public static final String STORED = PREFIX + "stored";

  /** On every other member of a group: the name of the group's first node. */
  public static final String FUSED_INTO = PREFIX + "fused_into";

  /**
   * On a view member of a group whose result a node outside the group reads: 1, it is launched
   * alone too (as a view of a stored value).
   */
  public static final String LAUNCHED_ALONE_TOO = PREFIX + "launched_alone_too";

  /**
   * On a node after a group's first that the group's members read and that does not depend on the
   * group: the name of the group's first node, before whose launch it is launched.
   */
  public static final String LAUNCHED_BEFORE = PREFIX + "launched_before";

  /** A copy of {@code node} with {@code name} set to {@code value}. */
  /**
   * The manifest's entry for a node and the variants a backend lowered it to, with the nodes it
   * fuses and the values it keeps internal as the lowering passes recorded them.
   */
  public static Manifest.NodeLaunches launches(Node node, List<Manifest.Variant> variants) {
    return new Manifest.NodeLaunches(
        node.name(),
        node.qualifiedOpType(),
        node.inputs(),
        node.outputs(),
        variants,
        strings(node, FUSED),
        strings(node, INTERNAL));
  }

  public static Node with(Node node, String name, Attribute value) {
    return new Node(
        node.name(),
        node.domain(),
        node.opType(),
        node.inputs(),
        node.outputs(),
        node.attributes().with(name, value));
  }

  public static Node with(Node node, String name, String value) {
    return with(node, name, new Attribute.StringValue(value));
  }

  public static Node with(Node node, String name, List<String> values) {
    return with(node, name, new Attribute.Strings(values));
  }

  /** A string attribute of the namespace, when the node has it. */
  public static Optional<String> string(Node node, String name) {
    return node.attributes().has(name)
        ? Optional.of(node.attributes().getString(name))
        : Optional.empty();
  }

  /** A strings attribute of the namespace; empty when the node has none. */
  public static List<String> strings(Node node, String name) {
    return node.attributes().get(name).orElse(null) instanceof Attribute.Strings(var values)
        ? values
        : List.of();
  }
}
