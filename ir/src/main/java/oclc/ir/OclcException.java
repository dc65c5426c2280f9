package oclc.ir;

/** An error that oclc reports to its user: the message says what, where, and what to do. */
public class OclcException extends RuntimeException {
  public OclcException(String message) {
    super(message);
  }

  public OclcException(String message, Throwable cause) {
    super(message, cause);
  }
}
