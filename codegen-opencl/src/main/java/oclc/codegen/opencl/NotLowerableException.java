package oclc.codegen.opencl;

/** A node that no OpenCL kernel of oclc computes; the message says what is missing. */
public final class NotLowerableException extends RuntimeException {
  public NotLowerableException(String reason) {
    super(reason);
  }
}
