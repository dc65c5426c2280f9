package oclc.ir;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The concrete inputs and attributes of one node evaluation. */
public final class EvaluationContext extends NodeContext {
  private final List<Tensor> inputs;

  /**
   * @param inputs one per node input; null for an absent optional input
   */
  public EvaluationContext(Node node, long opset, List<Tensor> inputs) {
    super(node, opset);
    this.inputs = new ArrayList<>(inputs);
  }

  public int inputCount() {
    return inputs.size();
  }

  public int outputCount() {
    return node().outputs().size();
  }

  public boolean hasInput(int index) {
    return index < inputs.size() && inputs.get(index) != null;
  }

  public Tensor input(int index) {
    if (!hasInput(index)) {
      throw new OclcException(node() + ": input " + index + " is required");
    }
    return inputs.get(index);
  }

  public Optional<Tensor> optionalInput(int index) {
    return hasInput(index) ? Optional.of(inputs.get(index)) : Optional.empty();
  }

  public OclcException error(String message) {
    return new OclcException(node() + ": " + message);
  }
}
