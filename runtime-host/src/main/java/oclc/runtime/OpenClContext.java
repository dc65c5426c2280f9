package oclc.runtime;

import static org.jocl.CL.CL_PROGRAM_BINARIES;
import static org.jocl.CL.CL_PROGRAM_BINARY_SIZES;
import static org.jocl.CL.CL_PROGRAM_BUILD_LOG;
import static org.jocl.CL.CL_QUEUE_PROFILING_ENABLE;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.jocl.CL;
import org.jocl.CLException;
import org.jocl.Pointer;
import org.jocl.Sizeof;
import org.jocl.cl_command_queue;
import org.jocl.cl_context;
import org.jocl.cl_context_properties;
import org.jocl.cl_device_id;
import org.jocl.cl_kernel;
import org.jocl.cl_mem;
import org.jocl.cl_program;
import org.jocl.cl_queue_properties;

/**
 * A context and an in-order, profiling command queue on one device: the thin AutoCloseable layer
 * over JOCL that the rest of the runtime uses. Build failures carry the device's build log.
 */
public final class OpenClContext implements AutoCloseable {
  private final DeviceInfo info;
  private final cl_device_id device;
  private final cl_context context;
  private final cl_command_queue queue;
  private final OpenClObjects objects = new OpenClObjects();

  /**
   * The programs loaded on this device, with their binaries, by their kernel-cache key: an artifact
   * loaded again (a server reloading, a test) retains these rather than loading its binaries anew,
   * which POCL does not give back in full when a program is released (30 loads of GPT-2 tiny grew
   * the process by 226 MiB). Each holds a reference of its own until the context closes.
   */
  private final Map<String, LoadedProgram> loaded = new ConcurrentHashMap<>();

  /** A program this context keeps, and the device binary it was made from or made. */
  public record LoadedProgram(cl_program program, byte[] binary) {}

  private OpenClContext(
      DeviceInfo info, cl_device_id device, cl_context context, cl_command_queue queue) {
    this.info = info;
    this.device = device;
    this.context = context;
    this.queue = queue;
    objects.created(OpenClObjects.Kind.CONTEXT);
    objects.created(OpenClObjects.Kind.QUEUE);
  }

  public static OpenClContext open(DeviceInfo info) {
    try {
      CL.setExceptionsEnabled(true);
      cl_device_id device = Devices.deviceId(info);
      cl_context_properties properties = new cl_context_properties();
      cl_context context =
          CL.clCreateContext(properties, 1, new cl_device_id[] {device}, null, null, null);
      cl_queue_properties queueProperties = new cl_queue_properties();
      queueProperties.addProperty(CL.CL_QUEUE_PROPERTIES, CL_QUEUE_PROFILING_ENABLE);
      cl_command_queue queue =
          CL.clCreateCommandQueueWithProperties(context, device, queueProperties, null);
      return new OpenClContext(info, device, context, queue);
    } catch (CLException e) {
      throw new OpenClException(
          "cannot open an OpenCL context on " + info.name() + ": " + e.getMessage(), e);
    }
  }

  public DeviceInfo info() {
    return info;
  }

  public cl_context context() {
    return context;
  }

  public cl_command_queue queue() {
    return queue;
  }

  /** The OpenCL objects the runtime holds on this context now, for tests and diagnostics. */
  public OpenClObjects objects() {
    return objects;
  }

  /** Releases a reference to a program (made, loaded or retained here). */
  void releaseProgram(cl_program program) {
    CL.clReleaseProgram(program);
    objects.released(OpenClObjects.Kind.PROGRAM);
  }

  /** A buffer on this context, counted with its bytes. */
  cl_mem createBuffer(long flags, long bytes, Pointer host) {
    cl_mem buffer = CL.clCreateBuffer(context, flags, bytes, host, null);
    objects.allocated(bytes);
    return buffer;
  }

  /** Releases a buffer made by {@link #createBuffer}. */
  void releaseBuffer(cl_mem buffer) {
    long[] size = new long[1];
    CL.clGetMemObjectInfo(buffer, CL.CL_MEM_SIZE, Sizeof.size_t, Pointer.to(size), null);
    CL.clReleaseMemObject(buffer);
    objects.freed(size[0]);
  }

  /** A kernel object of {@code program}, counted. */
  cl_kernel createKernel(cl_program program, String kernel) {
    cl_kernel made = CL.clCreateKernel(program, kernel, null);
    objects.created(OpenClObjects.Kind.KERNEL);
    return made;
  }

  void releaseKernel(cl_kernel kernel) {
    CL.clReleaseKernel(kernel);
    objects.released(OpenClObjects.Kind.KERNEL);
  }

  /**
   * One compile from source at a time in the process. The cold compiles that died with SIGSEGV
   * inside POCL's compiler built two kernels at once, but the cause was the JVM's signals and
   * LLVM's handler ({@link SignalChaining}); two at once gain nothing, as POCL serialises its
   * compiler (GPT-2 small's 22 kernels: 15.5 s two at a time, 14.3-15.4 s one at a time). Loading
   * binaries stays concurrent.
   */
  private static final Object SOURCE_BUILDS = new Object();

  /** Builds a program from source; a failure throws with the kernel's name and the build log. */
  public cl_program buildFromSource(String kernelName, String source, String options) {
    synchronized (SOURCE_BUILDS) {
      cl_program program =
          CL.clCreateProgramWithSource(context, 1, new String[] {source}, null, null);
      objects.created(OpenClObjects.Kind.PROGRAM);
      return build(program, kernelName, options);
    }
  }

  /**
   * The program this context keeps under {@code key}, retained for the caller (who releases it as
   * any other); empty when none is kept.
   */
  public Optional<LoadedProgram> retainedProgram(String key) {
    LoadedProgram kept = loaded.get(key);
    if (kept != null) {
      CL.clRetainProgram(kept.program());
      objects.created(OpenClObjects.Kind.PROGRAM);
    }
    return Optional.ofNullable(kept);
  }

  /** Keeps {@code program} under {@code key} for later loads, with a reference of its own. */
  public void keepProgram(String key, cl_program program, byte[] binary) {
    CL.clRetainProgram(program);
    objects.created(OpenClObjects.Kind.PROGRAM);
    if (loaded.putIfAbsent(key, new LoadedProgram(program, binary)) != null) {
      releaseProgram(program); // another thread kept the same program first
    }
  }

  /** Loads a program from a device binary made by {@link #binaryOf}. */
  public cl_program buildFromBinary(String kernelName, byte[] binary, String options) {
    int[] status = new int[1];
    cl_program program =
        CL.clCreateProgramWithBinary(
            context,
            1,
            new cl_device_id[] {device},
            new long[] {binary.length},
            new byte[][] {binary},
            status,
            null);
    objects.created(OpenClObjects.Kind.PROGRAM);
    return build(program, kernelName, options);
  }

  private cl_program build(cl_program program, String kernelName, String options) {
    try {
      CL.clBuildProgram(program, 1, new cl_device_id[] {device}, options, null, null);
      return program;
    } catch (CLException e) {
      String log = buildLog(program);
      releaseProgram(program);
      throw new KernelBuildException(kernelName, info.name(), log.isBlank() ? e.getMessage() : log);
    }
  }

  /** The device binary of a built program, for the kernel cache. */
  public byte[] binaryOf(cl_program program) {
    long[] size = new long[1];
    CL.clGetProgramInfo(program, CL_PROGRAM_BINARY_SIZES, Sizeof.size_t, Pointer.to(size), null);
    byte[] binary = new byte[(int) size[0]];
    Pointer[] pointers = {Pointer.to(binary)};
    CL.clGetProgramInfo(program, CL_PROGRAM_BINARIES, Sizeof.POINTER, Pointer.to(pointers), null);
    return binary;
  }

  private String buildLog(cl_program program) {
    long[] size = new long[1];
    CL.clGetProgramBuildInfo(program, device, CL_PROGRAM_BUILD_LOG, 0, null, size);
    byte[] log = new byte[(int) size[0]];
    CL.clGetProgramBuildInfo(
        program, device, CL_PROGRAM_BUILD_LOG, log.length, Pointer.to(log), null);
    int end = log.length;
    while (end > 0 && log[end - 1] == 0) {
      end--;
    }
    return new String(log, 0, end, StandardCharsets.UTF_8);
  }

  @Override
  public void close() {
    loaded.values().forEach(kept -> releaseProgram(kept.program()));
    loaded.clear();
    CL.clReleaseCommandQueue(queue);
    objects.released(OpenClObjects.Kind.QUEUE);
    CL.clReleaseContext(context);
    objects.released(OpenClObjects.Kind.CONTEXT);
  }
}
