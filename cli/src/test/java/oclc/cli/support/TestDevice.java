package oclc.cli.support;

import java.nio.file.Path;
import oclc.cache.KernelCache;
import oclc.runtime.Devices;
import oclc.runtime.OpenClContext;
import org.junit.jupiter.api.Assumptions;

/**
 * The OpenCL device the command-line tests run on (the first one: POCL's CPU device here and in
 * CI), opened once per test JVM, and a kernel cache under target/ that the tests share (as the
 * tests module's TestDevice, which has the compile helpers the command line does not need).
 */
public final class TestDevice {
  private static OpenClContext context;

  private TestDevice() {}

  /** The device; skips without one, unless the run requires one (CI). */
  public static synchronized OpenClContext context() {
    if (context == null) {
      if (Devices.list().isEmpty()) {
        if ("true".equals(System.getenv("OCLC_REQUIRE_OPENCL"))) {
          throw new AssertionError(
              "no OpenCL device, and this run requires one (OCLC_REQUIRE_OPENCL)");
        }
        Assumptions.abort("no OpenCL device on this machine");
      }
      context = OpenClContext.open(Devices.list().getFirst());
    }
    return context;
  }

  public static KernelCache cache() {
    return new KernelCache(Path.of("target", "kernel-cache"));
  }
}
