package oclc.compiler;

/**
 * What a compile tells as it goes, for a front end to show: notices and warnings, each user kernel
 * checked against the reference, and the kernels built for the device one by one. Every method does
 * nothing unless overridden; {@link #SILENT} hears nothing.
 */
public interface CompileListener {
  CompileListener SILENT = new CompileListener() {};

  /**
   * Something the user may want to know that changes nothing, e.g. {@code cpu} running on {@code
   * java}.
   */
  default void notice(String text) {}

  /** Something that went less well than it could and did not stop the compile. */
  default void warning(String text) {}

  /** One user kernel checked at one size: what, and that it matches the reference. */
  default void checked(String line) {}

  /** The device is about to build (or find in the cache) this many kernels. */
  default void kernelsStarted(int kernels) {}

  /** One kernel is ready on the device. */
  default void kernelReady(String kernel) {}
}
