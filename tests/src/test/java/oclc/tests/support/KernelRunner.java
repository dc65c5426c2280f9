package oclc.tests.support;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import oclc.codegen.opencl.KernelSource;
import oclc.ir.DType;
import oclc.ir.Tensor;
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
        throw new AssertionError(
            "no OpenCL device, and this run requires one (OCLC_REQUIRE_OPENCL)");
      }
      Assumptions.abort("no OpenCL device on this machine");
    }
    return new KernelRunner(OpenClContext.open(devices.get(0)));
  }

  public OpenClContext device() {
    return device;
  }

  /** Inputs are float arrays or tensors of any type (passed as their bytes). */
  public float[] launch(
      KernelSource kernel,
      List<?> inputs,
      int outputSize,
      long[] globalSize,
      long[] localSize,
      Number... scalars) {
    return launch(
            kernel, inputs, DType.FLOAT32, new long[] {outputSize}, globalSize, localSize, scalars)
        .toFloatArray();
  }

  /**
   * The same into an output of any type and shape, poisoned first (NaN for floats, 0xA5 bytes
   * otherwise); float scalars are passed as float, other numbers as int.
   */
  public Tensor launch(
      KernelSource kernel,
      List<?> inputs,
      DType outputType,
      long[] outputShape,
      long[] globalSize,
      long[] localSize,
      Number... scalars) {
    cl_program program =
        device.buildFromSource(kernel.kernelName(), kernel.source(), "-cl-std=CL1.2");
    cl_kernel k = CL.clCreateKernel(program, kernel.kernelName(), null);
    List<cl_mem> buffers = new ArrayList<>();
    try {
      int arg = 0;
      for (Object input : inputs) {
        ByteBuffer bytes = bytesOf(input);
        cl_mem buffer =
            CL.clCreateBuffer(
                device.context(),
                CL.CL_MEM_READ_ONLY | CL.CL_MEM_COPY_HOST_PTR,
                bytes.capacity(),
                Pointer.to(bytes),
                null);
        buffers.add(buffer);
        CL.clSetKernelArg(k, arg++, Sizeof.cl_mem, Pointer.to(buffer));
      }
      Tensor poison = Tensor.allocate(outputType, outputShape);
      for (int i = 0; i < poison.size(); i++) {
        if (outputType.isFloat()) {
          poison.setDouble(i, Double.NaN);
        }
      }
      ByteBuffer poisonBytes = bytesOf(poison);
      if (!outputType.isFloat()) {
        for (int b = 0; b < poisonBytes.capacity(); b++) {
          poisonBytes.put(b, (byte) 0xA5);
        }
      }
      cl_mem output =
          CL.clCreateBuffer(
              device.context(),
              CL.CL_MEM_READ_WRITE | CL.CL_MEM_COPY_HOST_PTR,
              poisonBytes.capacity(),
              Pointer.to(poisonBytes),
              null);
      buffers.add(output);
      CL.clSetKernelArg(k, arg++, Sizeof.cl_mem, Pointer.to(output));
      for (Number value : scalars) {
        if (value instanceof Float f) {
          CL.clSetKernelArg(k, arg++, Sizeof.cl_float, Pointer.to(new float[] {f}));
        } else {
          CL.clSetKernelArg(k, arg++, Sizeof.cl_int, Pointer.to(new int[] {value.intValue()}));
        }
      }
      CL.clEnqueueNDRangeKernel(
          device.queue(), k, globalSize.length, null, globalSize, localSize, 0, null, null);
      ByteBuffer result =
          ByteBuffer.allocateDirect(poisonBytes.capacity()).order(ByteOrder.nativeOrder());
      CL.clEnqueueReadBuffer(
          device.queue(),
          output,
          CL.CL_TRUE,
          0,
          poisonBytes.capacity(),
          Pointer.to(result),
          0,
          null,
          null);
      ByteBuffer copy =
          ByteBuffer.allocate(poison.size() * outputType.byteSize()).order(ByteOrder.LITTLE_ENDIAN);
      for (int b = 0; b < copy.capacity(); b++) {
        copy.put(b, result.get(b));
      }
      return Tensor.wrap(outputType, outputShape, copy);
    } finally {
      buffers.forEach(CL::clReleaseMemObject);
      CL.clReleaseKernel(k);
      CL.clReleaseProgram(program);
    }
  }

  private static ByteBuffer bytesOf(Object input) {
    Tensor tensor =
        input instanceof float[] floats
            ? Tensor.ofFloats(new long[] {floats.length}, floats)
            : (Tensor) input;
    ByteBuffer bytes =
        ByteBuffer.allocateDirect(Math.max(4, tensor.size() * tensor.dtype().byteSize()))
            .order(ByteOrder.nativeOrder());
    bytes.put(tensor.data());
    return bytes.rewind();
  }

  @Override
  public void close() {
    device.close();
  }
}
