package oclc.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import oclc.ir.OclcException;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Device discovery on the machine's OpenCL platforms (POCL's CPU device in CI). */
class DevicesTest {
  private static List<DeviceInfo> devices;

  @BeforeAll
  static void findDevices() {
    devices = Devices.list();
    if (devices.isEmpty()) {
      if ("true".equals(System.getenv("OCLC_REQUIRE_OPENCL"))) {
        throw new AssertionError(
            "no OpenCL device found, and this run requires one (OCLC_REQUIRE_OPENCL)");
      }
      Assumptions.abort("no OpenCL device on this machine");
    }
  }

  @Test
  void everyDeviceIsDescribedWithItsDriver() {
    for (DeviceInfo d : devices) {
      assertFalse(d.name().isEmpty());
      assertFalse(d.driverVersion().isEmpty());
      assertTrue(d.computeUnits() > 0);
      assertTrue(d.maxWorkGroupSize() > 0);
      assertTrue(d.describe().contains(d.name()));
    }
  }

  @Test
  void cpuSelectsACpuDeviceWhenThereIsOne() {
    Assumptions.assumeTrue(
        devices.stream().anyMatch(d -> d.kind() == DeviceInfo.Kind.CPU), "no CPU device");
    assertEquals(DeviceInfo.Kind.CPU, Devices.select("cpu").kind());
  }

  @Test
  void aNameSubstringSelectsThatDevice() {
    DeviceInfo first = devices.get(0);
    String part =
        first
            .name()
            .substring(0, Math.min(6, first.name().length()))
            .toUpperCase(java.util.Locale.ROOT);
    assertEquals(first.name(), Devices.select(part).name());
  }

  @Test
  void anUnknownDeviceIsAnErrorListingTheDevices() {
    OclcException e =
        assertThrows(OclcException.class, () -> Devices.select("no-such-accelerator-9000"));
    assertTrue(
        e.getMessage().contains("no OpenCL device matches 'no-such-accelerator-9000'"),
        e.getMessage());
    assertTrue(e.getMessage().contains(devices.get(0).name()), e.getMessage());
  }
}
