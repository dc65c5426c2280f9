package oclc.runtime.cpu;

import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import oclc.artifact.Manifest.BufferKind;
import oclc.artifact.Manifest.BufferSpec;
import oclc.artifact.Manifest.NodeLaunches;
import oclc.artifact.Manifest.Variant;
import oclc.codegen.cpu.kernels.HostValues;
import oclc.codegen.cpu.kernels.Operand;
import oclc.codegen.cpu.kernels.TensorCopies;
import oclc.codegen.cpu.linalg.WorkerPool;
import oclc.ir.Dim;
import oclc.ir.OclcException;
import oclc.ir.Tensor;
import oclc.ir.exec.SymbolBindings;
import oclc.runtime.Backend;
import oclc.runtime.BoundVariant;
import oclc.runtime.MemoryPlanner;

/**
 * The Java backend of a session: buffers are float arrays (every element type lives in them, read
 * through a segment of the same array when it is not float32), params the executable's one array,
 * and each variant's dispatches Java kernels ({@link JavaVariant}) bound to {@link Operand} views
 * of that memory, whose launches split large work over the session's worker threads. Nothing of
 * OpenCL is touched.
 *
 * <p>Values whose shapes only the data decides have no buffer: the fallback nodes that make them
 * keep them here as host tensors ({@link HostValues}) and those that read them find them here, so
 * the plan of every other value stays the one made from the input shapes.
 */
final class JavaBackend implements Backend<JavaBackend.Buffer>, HostValues {
  /** Poison: all bits set, NaN as float32 and -1 as integers, as the OpenCL backend's fill. */
  private static final float POISON = Float.intBitsToFloat(-1);

  /** A buffer: an array and a segment over it (made once, for the kernels that read bytes). */
  record Buffer(float[] floats, MemorySegment memory) {}

  private final JavaExecutable executable;
  private final Buffer params;
  private final WorkerPool pool;
  private final Map<String, Tensor> hostValues = new HashMap<>();

  /**
   * The operands of this plan by buffer name (each value is read by several kernels), made once per
   * plan.
   */
  private final Map<String, Operand> operands = new HashMap<>();

  JavaBackend(JavaExecutable executable) {
    this.executable = executable;
    this.params = new Buffer(executable.params(), executable.paramSegment());
    this.pool = new WorkerPool(executable.threads());
  }

  @Override
  public Buffer allocate(long bytes, String what) {
    long floats = Math.max(1, (bytes + Float.BYTES - 1) / Float.BYTES);
    if (floats > Integer.MAX_VALUE - 8) {
      throw new OclcException(
          "a buffer of "
              + bytes
              + " bytes for "
              + what
              + " exceeds what one Java array holds "
              + "(8 GiB)");
    }
    float[] array = new float[(int) floats];
    return new Buffer(array, MemorySegment.ofArray(array));
  }

  /** The garbage collector takes an array no slot names any more. */
  @Override
  public void release(Buffer buffer) {}

  @Override
  public Buffer param(String name) {
    return params;
  }

  @Override
  public void planStarted() {
    operands.clear();
    hostValues.clear();
  }

  @Override
  public void write(
      String input, Tensor tensor, SymbolBindings symbols, MemoryPlanner<Buffer> memory) {
    TensorCopies.copy(tensor, operand(input, symbols, memory));
  }

  @Override
  public Tensor read(
      String value, Tensor reuse, SymbolBindings symbols, MemoryPlanner<Buffer> memory) {
    return TensorCopies.toTensor(operand(value, symbols, memory), reuse);
  }

  @Override
  public void poison(Buffer buffer, long bytes) {
    Arrays.fill(buffer.floats(), POISON);
  }

  /** A value held on the host, as the reference fallback's launches make and read it. */
  @Override
  public Tensor unbuffered(String value) {
    return get(value);
  }

  @Override
  public BoundVariant<Buffer> variant(NodeLaunches node, Variant variant) {
    return new JavaVariant(variant, node, executable, pool, this);
  }

  /**
   * The operand of a buffer for these symbols: its memory, offset, shape and the strides of its
   * layout (a value held on the host: an operand that says so; an absent optional input: null).
   */
  Operand operand(String name, SymbolBindings symbols, MemoryPlanner<Buffer> memory) {
    if (name.isEmpty()) {
      return null;
    }
    Operand known = operands.get(name);
    if (known != null) {
      return known;
    }
    BufferSpec spec = memory.spec(name);
    if (spec == null) {
      return Operand.hostHeld(name);
    }
    Operand operand;
    if (spec.permutation() != null) { // the viewed value's memory, its strides permuted
      Operand viewed = operand(spec.viewOf(), symbols, memory);
      long[] strides = new long[spec.permutation().size()];
      for (int axis = 0; axis < strides.length; axis++) {
        strides[axis] = viewed.strides()[spec.permutation().get(axis)];
      }
      operand =
          new Operand(
              name,
              spec.dtype(),
              viewed.array(),
              viewed.memory(),
              viewed.byteOffset(),
              Dim.evaluate(spec.shape(), symbols),
              strides);
    } else {
      BufferSpec rootSpec = memory.spec(memory.root(name));
      Buffer buffer = memory.bufferOf(name);
      long offset = rootSpec.kind() == BufferKind.PARAM ? rootSpec.offset() : 0;
      long[] shape = Dim.evaluate(spec.shape(), symbols);
      long[] layout = spec.shape() == spec.layout() ? shape : Dim.evaluate(spec.layout(), symbols);
      operand =
          new Operand(
              name,
              spec.dtype(),
              buffer.floats(),
              buffer.memory(),
              offset,
              shape,
              Tensor.rowMajorStrides(layout));
    }
    operands.put(name, operand);
    return operand;
  }

  @Override
  public Tensor get(String name) {
    Tensor t = hostValues.get(name);
    if (t == null) {
      throw new OclcException(
          "'"
              + name
              + "' has not been computed yet (its shape is the data's, so no buffer holds "
              + "it): launch the node that makes it first");
    }
    return t;
  }

  @Override
  public void put(String name, Tensor value) {
    hostValues.put(name, value);
  }

  /** Launches run on the caller's thread (and the pool's) and are done when they return. */
  @Override
  public void finish() {}

  @Override
  public void close() {
    pool.close();
  }
}
