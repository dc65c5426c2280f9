package oclc.cli;

import java.util.function.Consumer;
import oclc.cache.KernelCache;
import oclc.runtime.Devices;

/**
 * The {@code --device} values: {@code reference}, {@code java} (the Vector API backend), or an
 * OpenCL device ({@code cpu}, {@code gpu}, a name); {@code cpu} without an OpenCL platform is
 * {@code java}, with a notice.
 */
final class DeviceOption {
  static final String DESCRIPTION = "reference (the scalar oracle), java (the Vector API backend), cpu or gpu "
      + "(the first OpenCL device of that type; cpu without an OpenCL platform runs on java), "
      + "or a substring of an OpenCL device's name";

  static final String JAVA = "java";

  private DeviceOption() {}

  /** The backend {@code device} names here: {@code cpu} becomes {@code java} (said on {@code notices}) without OpenCL. */
  static String resolve(String device, Consumer<String> notices) {
    if (device.equals("cpu") && Devices.list().isEmpty()) {
      notices.accept("notice: no OpenCL platform found; --device cpu runs on the Java (Vector API) backend");
      return JAVA;
    }
    return device;
  }

  static Backend open(String device, KernelCache cache, Consumer<String> warnings) {
    String resolved = device.equals("reference") || device.equals(JAVA) ? device : resolve(device, warnings);
    return switch (resolved) {
      case "reference" -> new ReferenceBackend();
      case JAVA -> new JavaBackend();
      default -> new OpenClBackend(resolved, cache, warnings);
    };
  }
}
