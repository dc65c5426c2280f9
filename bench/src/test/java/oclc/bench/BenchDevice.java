package oclc.bench;

import java.nio.file.Path;
import oclc.cache.KernelCache;
import oclc.runtime.Devices;
import org.junit.jupiter.api.Assumptions;

/**
 * The bench tests' device: the first OpenCL device; without one they are skipped, unless CI
 * requires one.
 */
public final class BenchDevice {
  private BenchDevice() {}

  public static void require() {
    if (Devices.list().isEmpty()) {
      if ("true".equals(System.getenv("OCLC_REQUIRE_OPENCL"))) {
        throw new AssertionError(
            "no OpenCL device, and this run requires one (OCLC_REQUIRE_OPENCL)");
      }
      Assumptions.abort("no OpenCL device on this machine");
    }
  }

  public static KernelCache cache() {
    return new KernelCache(Path.of("target", "kernel-cache"));
  }
}
