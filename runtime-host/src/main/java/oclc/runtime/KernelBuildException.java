package oclc.runtime;

import oclc.ir.OclcException;

/** The device compiler rejected a kernel; the message carries the kernel name and the build log. */
public final class KernelBuildException extends OclcException {
  private final String buildLog;

  public KernelBuildException(String kernelName, String device, String buildLog) {
    super("kernel '" + kernelName + "' failed to build for " + device + ":\n" + buildLog.strip());
    this.buildLog = buildLog;
  }

  public String buildLog() {
    return buildLog;
  }
}
