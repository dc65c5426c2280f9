package oclc.runtime;

/** What oclc needs to know of an OpenCL device, read once when devices are listed. */
public record DeviceInfo(
    int platformIndex,
    int deviceIndex,
    String platformName,
    String platformVersion,
    String name,
    String vendor,
    String driverVersion,
    Kind kind,
    int computeUnits,
    long globalMemoryBytes,
    long maxWorkGroupSize) {

  /** The OpenCL device types oclc distinguishes. */
  public enum Kind {
    CPU,
    GPU,
    ACCELERATOR,
    OTHER
  }

  /** A one-line description, as {@code oclc devices} prints it. */
  public String describe() {
    return String.format(
        "%s (%s, %d compute units, %d MiB, max work-group %d) on %s %s, driver %s",
        name,
        kind.name().toLowerCase(java.util.Locale.ROOT),
        computeUnits,
        globalMemoryBytes >> 20,
        maxWorkGroupSize,
        platformName,
        platformVersion,
        driverVersion);
  }
}
