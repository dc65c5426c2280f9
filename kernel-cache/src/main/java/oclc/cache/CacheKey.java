package oclc.cache;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Everything that changes a device binary: the kernel source, the build options, and the platform,
 * device, driver and oclc versions. A driver update changes the key, so a binary never outlives the
 * compiler that made it.
 */
public record CacheKey(
    String kernelName,
    String sourceSha256,
    String buildOptions,
    String platform,
    String device,
    String driverVersion,
    String oclcVersion) {

  public static CacheKey of(
      String kernelName,
      String source,
      String buildOptions,
      String platform,
      String device,
      String driverVersion,
      String oclcVersion) {
    return new CacheKey(
        kernelName,
        Hashing.sha256Hex(source.getBytes(StandardCharsets.UTF_8)),
        buildOptions,
        platform,
        device,
        driverVersion,
        oclcVersion);
  }

  /** The entry's file name stem: a hash of every field but the (informative) kernel name. */
  public String digest() {
    String joined =
        String.join("\0", sourceSha256, buildOptions, platform, device, driverVersion, oclcVersion);
    return Hashing.sha256Hex(joined.getBytes(StandardCharsets.UTF_8));
  }

  Map<String, String> fields() {
    Map<String, String> f = new LinkedHashMap<>();
    f.put("kernel", kernelName);
    f.put("source-sha256", sourceSha256);
    f.put("build-options", buildOptions);
    f.put("platform", platform);
    f.put("device", device);
    f.put("driver-version", driverVersion);
    f.put("oclc-version", oclcVersion);
    return f;
  }

  static CacheKey fromFields(Map<String, String> f) {
    return new CacheKey(
        f.get("kernel"),
        f.get("source-sha256"),
        f.get("build-options"),
        f.get("platform"),
        f.get("device"),
        f.get("driver-version"),
        f.get("oclc-version"));
  }
}
