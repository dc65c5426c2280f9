package oclc.ir;

/**
 * The model is valid but uses something oclc does not support (an op, an element type, an attribute
 * mode). Conformance runs count such cases as skipped, with this message as the reason.
 */
public class UnsupportedFeatureException extends OclcException {
  /**
   * The same, with what fixes it (see {@link OclcException#OclcException(String, Remedy,
   * String...)}).
   */
  public UnsupportedFeatureException(String message, Remedy remedy, String... subjects) {
    super(message, remedy, subjects);
  }

  public UnsupportedFeatureException(String message) {
    super(message);
  }
}
