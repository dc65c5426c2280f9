package oclc.cli;

import java.io.PrintWriter;
import java.util.List;
import oclc.runtime.DeviceInfo;
import oclc.runtime.Devices;
import picocli.CommandLine.Command;

/**
 * {@code oclc devices}: the OpenCL platforms and devices, as {@code --device} can name them, and
 * the Java backend.
 */
@Command(
    name = "devices",
    description = "List OpenCL platforms and devices (and the Java backend, always there).")
final class DevicesCommand extends PrintingCommand {
  @Override
  int run(PrintWriter out, PrintWriter err) {
    out.println(
        "java: the Vector API backend ("
            + oclc.runtime.cpu.JavaExecutable.defaultThreads()
            + " threads, "
            + oclc.codegen.cpu.kernels.JavaKernels.vectorBits()
            + "-bit vectors): --device java");
    List<DeviceInfo> devices = Devices.list();
    if (devices.isEmpty()) {
      out.println(
          "no OpenCL platform found (for the CPU, install Debian's pocl-opencl-icd); "
              + "--device java (and --device cpu, which falls back to it) and --device reference still work");
      return 1;
    }
    String platform = null;
    for (DeviceInfo d : devices) {
      if (!d.platformName().equals(platform)) {
        platform = d.platformName();
        out.println(
            "platform "
                + d.platformIndex()
                + ": "
                + d.platformName()
                + " ("
                + d.platformVersion()
                + ")");
      }
      out.println("  device " + d.deviceIndex() + ": " + d.describe());
    }
    return 0;
  }
}
