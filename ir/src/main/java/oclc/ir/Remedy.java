package oclc.ir;

/**
 * What the user can change so that an {@link OclcException} goes away, for the front end that
 * reports it to say in its own terms (the command line names the flag). The code that throws says
 * what is wrong and which remedy applies; it does not know how a front end spells it.
 */
public enum Remedy {
  /** Compile with every node launched alone (no fusion). */
  UNFUSE,
  /**
   * Compile with a range for the symbol (the exception's first subject) that covers the size given.
   */
  WIDEN_DIM,
  /** Compile without checking the user kernels against the reference. */
  SKIP_VERIFY,
  /** Run on, or compile for, the device the first subject names. */
  USE_DEVICE,
  /** Compile for an OpenCL device, or without user kernels (which are OpenCL C). */
  USE_OPENCL_DEVICE
}
