package oclc.tests.support;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import oclc.codegen.opencl.KernelSource;
import oclc.runtime.DeviceInfo;
import oclc.runtime.Devices;
import oclc.runtime.OpenClContext;
import org.jocl.CL;
import org.jocl.Pointer;
import org.jocl.Sizeof;
import org.jocl.cl_kernel;
import org.jocl.cl_mem;
import org.jocl.cl_program;
import org.junit.jupiter.api.Assumptions;

/**
 * Builds one kernel and launches it once on the test device: float buffers in, one float output
 * poisoned with NaN so that unwritten elements show, then int or float scalars.
 */
public final class KernelRunner implements AutoCloseable {
  private final OpenClContext device;

  private KernelRunner(OpenClContext device) {
    this.device = device;
  }

  /** The first OpenCL device; skips without one, unless the run requires one (CI). */
  public static KernelRunner onFirstDevice() {
    List<DeviceInfo> devices = Devices.list();
    if (devices.isEmpty()) {
      if ("true".equals(System.getenv("OCLC_REQUIRE_OPENCL"))) {
        throw new AssertionError("no OpenCL device, and this run requires one (OCLC_REQUIRE_OPENCL)");
      }
      Assumptions.abort("no OpenCL device on this machine");
    }
    return new KernelRunner(OpenClContext.open(devices.get(0)));
  }

  public OpenClContext device() {
    return device;
  }

  public float[] launch(KernelSource kernel, List<float[]> inputs, int outputSize, long[] globalSize,
      long[] localSize, Number... scalars) {
    cl_program program = device.buildFromSource(kernel.kernelName(), kernel.source(), "-cl-std=CL1.2");
    cl_kernel k = CL.clCreateKernel(program, kernel.kernelName(), null);
    List<cl_mem> buffers = new ArrayList<>();
    try {
      int arg = 0;
      for (float[] host : inputs) {
        cl_mem buffer = CL.clCreateBuffer(device.context(), CL.CL_MEM_READ_ONLY | CL.CL_MEM_COPY_HOST_PTR,
            (long) Sizeof.cl_float * Math.max(1, host.length), Pointer.to(host.length == 0 ? new float[1] : host), null);
        buffers.add(buffer);
        CL.clSetKernelArg(k, arg++, Sizeof.cl_mem, Pointer.to(buffer));
      }
      float[] poison = new float[outputSize];
      Arrays.fill(poison, Float.NaN);
      cl_mem output = CL.clCreateBuffer(device.context(), CL.CL_MEM_READ_WRITE | CL.CL_MEM_COPY_HOST_PTR,
          (long) Sizeof.cl_float * outputSize, Pointer.to(poison), null);
      buffers.add(output);
      CL.clSetKernelArg(k, arg++, Sizeof.cl_mem, Pointer.to(output));
      for (Number value : scalars) {
        if (value instanceof Float f) {
          CL.clSetKernelArg(k, arg++, Sizeof.cl_float, Pointer.to(new float[] {f}));
        } else {
          CL.clSetKernelArg(k, arg++, Sizeof.cl_int, Pointer.to(new int[] {value.intValue()}));
        }
      }
      CL.clEnqueueNDRangeKernel(device.queue(), k, globalSize.length, null, globalSize, localSize, 0, null, null);
      float[] result = new float[outputSize];
      CL.clEnqueueReadBuffer(device.queue(), output, CL.CL_TRUE, 0, (long) Sizeof.cl_float * outputSize,
          Pointer.to(result), 0, null, null);
      return result;
    } finally {
      buffers.forEach(CL::clReleaseMemObject);
      CL.clReleaseKernel(k);
      CL.clReleaseProgram(program);
    }
  }

  @Override
  public void close() {
    device.close();
  }
}
