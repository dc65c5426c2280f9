package oclc.ir;

/** A node's inputs or attributes do not admit an output type; the message names the node. */
public class ShapeInferenceException extends OclcException {
  public ShapeInferenceException(String message) {
    super(message);
  }

  public ShapeInferenceException(String message, Throwable cause) {
    super(message, cause);
  }
}
