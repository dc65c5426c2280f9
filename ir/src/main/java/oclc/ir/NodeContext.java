package oclc.ir;

/**
 * What every per-node context knows: the node, its attributes and the opset version of its domain
 * (shape inference sees types, evaluation sees tensors; both read the node the same way).
 */
public abstract sealed class NodeContext permits EvaluationContext, InferenceContext {
  private final Node node;
  private final long opset;

  NodeContext(Node node, long opset) {
    this.node = node;
    this.opset = opset;
  }

  public final Node node() {
    return node;
  }

  public final Attributes attributes() {
    return node.attributes();
  }

  /** The opset version of the node's domain. */
  public final long opset() {
    return opset;
  }
}
