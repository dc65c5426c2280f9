package oclc.runtime;

import static org.jocl.CL.CL_DEVICE_GLOBAL_MEM_SIZE;
import static org.jocl.CL.CL_DEVICE_MAX_COMPUTE_UNITS;
import static org.jocl.CL.CL_DEVICE_MAX_WORK_GROUP_SIZE;
import static org.jocl.CL.CL_DEVICE_NAME;
import static org.jocl.CL.CL_DEVICE_TYPE;
import static org.jocl.CL.CL_DEVICE_TYPE_ACCELERATOR;
import static org.jocl.CL.CL_DEVICE_TYPE_ALL;
import static org.jocl.CL.CL_DEVICE_TYPE_CPU;
import static org.jocl.CL.CL_DEVICE_TYPE_GPU;
import static org.jocl.CL.CL_DEVICE_VENDOR;
import static org.jocl.CL.CL_DRIVER_VERSION;
import static org.jocl.CL.CL_PLATFORM_NAME;
import static org.jocl.CL.CL_PLATFORM_VERSION;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import oclc.ir.OclcException;
import oclc.ir.Remedy;
import org.jocl.CL;
import org.jocl.CLException;
import org.jocl.Pointer;
import org.jocl.Sizeof;
import org.jocl.cl_device_id;
import org.jocl.cl_platform_id;

/** Finds OpenCL platforms and devices, and picks one by {@code --device}. */
public final class Devices {
  private Devices() {}

  /**
   * Set (system property {@code oclc.hideOpenCl=true} or environment {@code OCLC_HIDE_OPENCL=1}),
   * oclc sees no OpenCL platform: how a machine without one is tried on a machine with one.
   */
  public static final String HIDE_PROPERTY = "oclc.hideOpenCl";

  /** Every device of every platform; empty when no OpenCL platform (or no ICD loader) exists. */
  public static List<DeviceInfo> list() {
    if (Boolean.getBoolean(HIDE_PROPERTY) || "1".equals(System.getenv("OCLC_HIDE_OPENCL"))) {
      return List.of();
    }
    List<DeviceInfo> devices = new ArrayList<>();
    cl_platform_id[] platforms;
    try {
      CL.setExceptionsEnabled(true);
      platforms = platforms();
    } catch (LinkageError | CLException e) {
      return List.of(); // no libOpenCL.so to load, or an ICD loader without platforms
    }
    for (int p = 0; p < platforms.length; p++) {
      cl_device_id[] ids;
      try {
        int[] count = new int[1];
        CL.clGetDeviceIDs(platforms[p], CL_DEVICE_TYPE_ALL, 0, null, count);
        ids = new cl_device_id[count[0]];
        CL.clGetDeviceIDs(platforms[p], CL_DEVICE_TYPE_ALL, ids.length, ids, null);
      } catch (CLException e) {
        continue; // a platform without devices
      }
      for (int d = 0; d < ids.length; d++) {
        devices.add(describe(p, d, platforms[p], ids[d]));
      }
    }
    return devices;
  }

  /**
   * The device {@code spec} names: {@code cpu} or {@code gpu} (the first of that type), or a
   * case-insensitive substring of a device's name.
   */
  public static DeviceInfo select(String spec) {
    List<DeviceInfo> devices = list();
    if (devices.isEmpty()) {
      throw new OclcException(
          "no OpenCL platform found for the device '"
              + spec
              + "': install an OpenCL driver (for the CPU, Debian's pocl-opencl-icd), or run on the reference executor",
          Remedy.USE_DEVICE,
          "reference");
    }
    String wanted = spec.toLowerCase(Locale.ROOT);
    for (DeviceInfo d : devices) {
      boolean matches =
          switch (wanted) {
            case "cpu" -> d.kind() == DeviceInfo.Kind.CPU;
            case "gpu" -> d.kind() == DeviceInfo.Kind.GPU;
            default -> d.name().toLowerCase(Locale.ROOT).contains(wanted);
          };
      if (matches) {
        return d;
      }
    }
    throw new OclcException(
        "no OpenCL device matches '"
            + spec
            + "'; the devices are:\n  "
            + String.join("\n  ", devices.stream().map(DeviceInfo::describe).toList()));
  }

  static cl_platform_id[] platforms() {
    int[] count = new int[1];
    CL.clGetPlatformIDs(0, null, count);
    cl_platform_id[] platforms = new cl_platform_id[count[0]];
    CL.clGetPlatformIDs(platforms.length, platforms, null);
    return platforms;
  }

  static cl_device_id deviceId(DeviceInfo info) {
    cl_platform_id platform = platforms()[info.platformIndex()];
    int[] count = new int[1];
    CL.clGetDeviceIDs(platform, CL_DEVICE_TYPE_ALL, 0, null, count);
    cl_device_id[] ids = new cl_device_id[count[0]];
    CL.clGetDeviceIDs(platform, CL_DEVICE_TYPE_ALL, ids.length, ids, null);
    return ids[info.deviceIndex()];
  }

  private static DeviceInfo describe(int p, int d, cl_platform_id platform, cl_device_id device) {
    long type = deviceLong(device, CL_DEVICE_TYPE);
    DeviceInfo.Kind kind =
        (type & CL_DEVICE_TYPE_GPU) != 0
            ? DeviceInfo.Kind.GPU
            : (type & CL_DEVICE_TYPE_CPU) != 0
                ? DeviceInfo.Kind.CPU
                : (type & CL_DEVICE_TYPE_ACCELERATOR) != 0
                    ? DeviceInfo.Kind.ACCELERATOR
                    : DeviceInfo.Kind.OTHER;
    return new DeviceInfo(
        p,
        d,
        platformString(platform, CL_PLATFORM_NAME),
        platformString(platform, CL_PLATFORM_VERSION),
        deviceString(device, CL_DEVICE_NAME),
        deviceString(device, CL_DEVICE_VENDOR),
        deviceString(device, CL_DRIVER_VERSION),
        kind,
        deviceInt(device, CL_DEVICE_MAX_COMPUTE_UNITS),
        deviceLong(device, CL_DEVICE_GLOBAL_MEM_SIZE),
        deviceSize(device, CL_DEVICE_MAX_WORK_GROUP_SIZE));
  }

  private static String platformString(cl_platform_id platform, int param) {
    long[] size = new long[1];
    CL.clGetPlatformInfo(platform, param, 0, null, size);
    byte[] buffer = new byte[(int) size[0]];
    CL.clGetPlatformInfo(platform, param, buffer.length, Pointer.to(buffer), null);
    return text(buffer);
  }

  private static String deviceString(cl_device_id device, int param) {
    long[] size = new long[1];
    CL.clGetDeviceInfo(device, param, 0, null, size);
    byte[] buffer = new byte[(int) size[0]];
    CL.clGetDeviceInfo(device, param, buffer.length, Pointer.to(buffer), null);
    return text(buffer);
  }

  private static long deviceLong(cl_device_id device, int param) {
    long[] value = new long[1];
    CL.clGetDeviceInfo(device, param, Sizeof.cl_long, Pointer.to(value), null);
    return value[0];
  }

  private static int deviceInt(cl_device_id device, int param) {
    int[] value = new int[1];
    CL.clGetDeviceInfo(device, param, Sizeof.cl_uint, Pointer.to(value), null);
    return value[0];
  }

  private static long deviceSize(cl_device_id device, int param) {
    long[] value = new long[1];
    CL.clGetDeviceInfo(device, param, Sizeof.size_t, Pointer.to(value), null);
    return value[0];
  }

  private static String text(byte[] nulTerminated) {
    int end = nulTerminated.length;
    while (end > 0 && nulTerminated[end - 1] == 0) {
      end--;
    }
    return new String(nulTerminated, 0, end, java.nio.charset.StandardCharsets.UTF_8).strip();
  }
}
