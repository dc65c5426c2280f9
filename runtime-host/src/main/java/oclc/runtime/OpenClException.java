package oclc.runtime;

import oclc.ir.OclcException;

/** An OpenCL call failed; the message names the call, the error, and what oclc was doing. */
public final class OpenClException extends OclcException {
  public OpenClException(String message) {
    super(message);
  }

  public OpenClException(String message, Throwable cause) {
    super(message, cause);
  }
}
