package oclc.ir;

import java.util.List;

/**
 * One operation of the graph. Inputs and outputs are value names; an absent optional input is the
 * empty string, as in ONNX.
 */
public record Node(
    String name,
    String domain,
    String opType,
    List<String> inputs,
    List<String> outputs,
    Attributes attributes) {

  public Node {
    inputs = List.copyOf(inputs);
    outputs = List.copyOf(outputs);
  }

  public Node withInputs(List<String> newInputs) {
    return new Node(name, domain, opType, newInputs, outputs, attributes);
  }

  /** {@code opType} for the default domain, {@code domain:opType} otherwise. */
  public String qualifiedOpType() {
    return OpRegistry.key(domain, opType);
  }

  @Override
  public String toString() {
    return qualifiedOpType() + " '" + name + "'";
  }
}
