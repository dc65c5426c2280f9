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

  /**
   * A node of the default domain without attributes that writes one value, the last of {@code
   * inputsThenOutput}; the names before it are its inputs. How a graph is spelled by hand (tests,
   * examples).
   */
  public static Node of(String name, String opType, String... inputsThenOutput) {
    List<String> names = List.of(inputsThenOutput);
    return new Node(
        name,
        "",
        opType,
        names.subList(0, names.size() - 1),
        List.of(names.getLast()),
        Attributes.NONE);
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
