package oclc.compiler;

import java.nio.file.Path;
import java.util.function.Consumer;
import oclc.artifact.Artifact;
import oclc.artifact.Manifest;
import oclc.runtime.Devices;

/**
 * The device names oclc takes: {@code reference} (the scalar oracle), {@code java} (the Vector API
 * backend), or an OpenCL device ({@code cpu}, {@code gpu}, a substring of a device's name); {@code
 * cpu} without an OpenCL platform is {@code java}, with a notice.
 */
public final class DeviceChoice {
  public static final String JAVA = "java";
  public static final String REFERENCE = "reference";

  private DeviceChoice() {}

  /**
   * The backend {@code device} names: {@code cpu} becomes {@code java} (said on {@code notices})
   * without OpenCL.
   */
  public static String resolve(String device, Consumer<String> notices) {
    if (device.equals("cpu") && Devices.list().isEmpty()) {
      notices.accept(
          "notice: no OpenCL platform found; device cpu runs on the Java (Vector API) backend");
      return JAVA;
    }
    return device;
  }

  /**
   * The device an artifact runs on when none is given: the one it was compiled for (java, else
   * cpu).
   */
  public static String defaultDevice(Path artifact) {
    return Artifact.backendOf(artifact).equals(Manifest.JAVA) ? JAVA : "cpu";
  }
}
