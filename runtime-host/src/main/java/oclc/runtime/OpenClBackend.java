package oclc.runtime;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import oclc.artifact.Manifest.BufferSpec;
import oclc.artifact.Manifest.NodeLaunches;
import oclc.artifact.Manifest.Variant;
import oclc.ir.Dim;
import oclc.ir.Tensor;
import oclc.ir.exec.SymbolBindings;
import org.jocl.CL;
import org.jocl.CLException;
import org.jocl.Pointer;
import org.jocl.cl_command_queue;
import org.jocl.cl_event;
import org.jocl.cl_mem;

/**
 * A session's OpenCL device: buffers are {@code cl_mem}s in the executable's context, inputs are
 * written and values read on its in-order queue, and each variant is a kernel object per dispatch
 * ({@link OpenClVariant}).
 */
final class OpenClBackend implements Backend<cl_mem> {
  private final Executable executable;

  /**
   * Copies of inputs whose writes may still be in flight (the queue is in order; they are kept
   * until the next plan).
   */
  private final List<ByteBuffer> staged = new ArrayList<>();

  OpenClBackend(Executable executable) {
    this.executable = executable;
  }

  @Override
  public cl_mem allocate(long bytes, String what) {
    try {
      return executable.device().createBuffer(CL.CL_MEM_READ_WRITE, bytes, null);
    } catch (CLException e) {
      throw new OpenClException(
          "clCreateBuffer of "
              + bytes
              + " bytes for "
              + what
              + " failed on "
              + executable.device().info().name()
              + ": "
              + e.getMessage(),
          e);
    }
  }

  @Override
  public void release(cl_mem buffer) {
    executable.device().releaseBuffer(buffer);
  }

  @Override
  public cl_mem param(String name) {
    return executable.param(name);
  }

  /** Lets go of the copies of earlier inputs, once the queue has finished with them. */
  @Override
  public void planStarted() {
    if (!staged.isEmpty()) {
      CL.clFinish(executable.device().queue());
      staged.clear();
    }
  }

  @Override
  public void write(
      String input, Tensor tensor, SymbolBindings symbols, MemoryPlanner<cl_mem> memory) {
    ByteBuffer data = tensor.data();
    if (data.remaining() == 0) {
      return;
    }
    // A copy of our own: the write is not waited for, and the caller may change its tensor
    // meanwhile.
    ByteBuffer direct = ByteBuffer.allocateDirect(data.remaining()).put(data.duplicate()).flip();
    staged.add(direct);
    BufferSpec spec = memory.spec(input);
    if (spec.storage() != null) {
      copyRows(
          CL::clEnqueueWriteBufferRect, memory.bufferOf(input), Rows.of(spec, symbols), direct);
      return;
    }
    CL.clEnqueueWriteBuffer(
        executable.device().queue(),
        memory.bufferOf(input),
        CL.CL_FALSE,
        0,
        direct.remaining(),
        Pointer.to(direct),
        0,
        null,
        null);
  }

  /** {@code clEnqueueWriteBufferRect} or {@code clEnqueueReadBufferRect}: one signature. */
  @FunctionalInterface
  private interface RectCopy {
    int enqueue(
        cl_command_queue queue,
        cl_mem buffer,
        boolean blocking,
        long[] bufferOrigin,
        long[] hostOrigin,
        long[] region,
        long bufferRowPitch,
        long bufferSlicePitch,
        long hostRowPitch,
        long hostSlicePitch,
        Pointer host,
        int waits,
        cl_event[] waitFor,
        cl_event event);
  }

  /**
   * Copies a value that lives in row blocks (a KV cache) to or from packed host memory, either way
   * over the same geometry, and waits for it.
   */
  private void copyRows(RectCopy copy, cl_mem buffer, Rows rows, ByteBuffer host) {
    copy.enqueue(
        executable.device().queue(),
        buffer,
        CL.CL_TRUE,
        new long[3],
        new long[3],
        rows.region(),
        rows.storagePitch(),
        0,
        rows.pitch(),
        0,
        Pointer.to(host),
        0,
        null,
        null);
  }

  /**
   * Reads a value's elements into direct memory (JOCL's); a value in a KV cache row block by row
   * block.
   */
  @Override
  public Tensor read(
      String value, Tensor reuse, SymbolBindings symbols, MemoryPlanner<cl_mem> memory) {
    BufferSpec spec = memory.spec(value);
    long[] shape = Dim.evaluate(spec.shape(), symbols);
    int size = (int) Math.max(spec.bytes(symbols), 0);
    ByteBuffer into = Tensor.memoryFor(reuse, spec.dtype(), size, true);
    if (size > 0) {
      ByteBuffer target = into.duplicate().order(ByteOrder.LITTLE_ENDIAN).limit(size);
      cl_mem buffer = memory.bufferOf(value);
      if (spec.storage() != null) {
        copyRows(CL::clEnqueueReadBufferRect, buffer, Rows.of(spec, symbols), target);
      } else {
        CL.clEnqueueReadBuffer(
            executable.device().queue(),
            buffer,
            CL.CL_TRUE,
            0,
            target.remaining(),
            Pointer.to(target),
            0,
            null,
            null);
      }
    }
    return Tensor.inMemory(spec.dtype(), shape, into);
  }

  /**
   * A value inside a larger layout seen as blocks: {@code outer} blocks of {@code pitch} bytes, one
   * every {@code storagePitch} bytes (the layout differs from the shape along one axis).
   */
  private record Rows(long pitch, long storagePitch, long outer) {
    static Rows of(BufferSpec spec, SymbolBindings symbols) {
      long[] shape = Dim.evaluate(spec.shape(), symbols);
      long[] layout = Dim.evaluate(spec.storage(), symbols);
      int axis = 0;
      while (axis < shape.length && shape[axis] == layout[axis]) {
        axis++;
      }
      long outer = 1;
      for (int a = 0; a < axis; a++) {
        outer *= shape[a];
      }
      long inner = spec.dtype().byteSize();
      for (int a = axis + 1; a < shape.length; a++) {
        inner *= shape[a];
      }
      return axis == shape.length
          ? new Rows(inner, inner, outer)
          : new Rows(shape[axis] * inner, layout[axis] * inner, outer);
    }

    long[] region() {
      return new long[] {pitch, outer, 1};
    }
  }

  @Override
  public void poison(cl_mem buffer, long bytes) {
    CL.clEnqueueFillBuffer(
        executable.device().queue(),
        buffer,
        Pointer.to(new byte[] {(byte) 0xFF}),
        1,
        0,
        bytes,
        0,
        null,
        null);
  }

  /** Every value of an OpenCL artifact has a buffer. */
  @Override
  public Tensor unbuffered(String value) {
    throw new IllegalArgumentException("no buffer holds '" + value + "'");
  }

  @Override
  public BoundVariant<cl_mem> variant(NodeLaunches node, Variant variant) {
    return new OpenClVariant(variant, executable, node);
  }

  @Override
  public void finish() {
    CL.clFinish(executable.device().queue());
  }

  /** The buffers are the memory planner's to release, the kernels the variants'. */
  @Override
  public void close() {
    staged.clear();
  }
}
