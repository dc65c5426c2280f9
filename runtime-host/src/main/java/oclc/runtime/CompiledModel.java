package oclc.runtime;

import oclc.artifact.Manifest;

/**
 * A compiled model loaded for one backend (an OpenCL device's {@link Executable}, or the Java
 * backend's {@code cpu.JavaExecutable}): what commands need to run it whatever the device.
 *
 * <p>Thread-safe for its sessions: any number of threads may each open, run and close sessions of
 * their own at once (each session has its own buffers and kernel objects, hence arguments; the
 * weights and programs are shared, read-only; on OpenCL the sessions enqueue on the device's one
 * in-order queue, so a session's wait also waits for the others' work). Closing the compiled model
 * itself waits for no one: close it after its sessions.
 */
public interface CompiledModel extends AutoCloseable {
  Manifest manifest();

  /** A new session with its own buffers. */
  Session newSession();

  /**
   * The check of the params against their checksums, started with the first session: wait for it
   * ({@link ParamsCheck#await}) before trusting results; sessions stop once it fails.
   */
  ParamsCheck paramsCheck();

  /** The device in words, for reports. */
  String deviceName();

  @Override
  void close();
}
