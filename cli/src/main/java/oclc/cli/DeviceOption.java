package oclc.cli;

import java.util.function.Consumer;
import oclc.cache.KernelCache;
import oclc.ir.OclcException;

/** The {@code --device} values: {@code reference}, or an OpenCL device ({@code cpu}, {@code gpu}, a name). */
final class DeviceOption {
  static final String DESCRIPTION = "reference (the scalar oracle), cpu or gpu (the first OpenCL device of that type), "
      + "or a substring of an OpenCL device's name";

  private DeviceOption() {}

  static Backend open(String device, KernelCache cache, Consumer<String> warnings) {
    if (device.equals("reference")) {
      return new ReferenceBackend();
    }
    requireOpenCl(device);
    return new OpenClBackend(device, cache, warnings);
  }

  /** Refuses the device names that are not OpenCL devices. */
  static void requireOpenCl(String device) {
    if (device.equals("java")) {
      throw new OclcException("device 'java' (the Vector API backend) is not built yet; use --device cpu "
          + "(OpenCL) or --device reference");
    }
  }
}
