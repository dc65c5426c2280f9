package oclc.runtime;

import oclc.artifact.Manifest;

/**
 * A compiled model loaded for one backend (an OpenCL device's {@link Executable}, or the Java
 * backend's {@code cpu.JavaExecutable}): what commands need to run it whatever the device.
 */
public interface CompiledModel extends AutoCloseable {
  Manifest manifest();

  /** A new session with its own buffers. */
  Session newSession();

  /**
   * The check of the params against their checksums, started when the model was loaded: wait for it
   * ({@link ParamsCheck#await}) before trusting results; sessions stop once it fails.
   */
  ParamsCheck paramsCheck();

  /** The device in words, for reports. */
  String deviceName();

  @Override
  void close();
}
