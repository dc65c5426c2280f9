package oclc.ir;

/**
 * The model is valid but uses something oclc does not support (an op, an element type, an
 * attribute mode). Conformance runs count such cases as skipped, with this message as the reason.
 */
public class UnsupportedFeatureException extends OclcException {
  public UnsupportedFeatureException(String message) {
    super(message);
  }
}
