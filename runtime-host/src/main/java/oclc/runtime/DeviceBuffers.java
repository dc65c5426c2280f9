package oclc.runtime;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import oclc.artifact.Manifest.BufferKind;
import oclc.artifact.Manifest.BufferSpec;
import oclc.artifact.Manifest.NodeLaunches;
import oclc.ir.Dim;
import oclc.ir.OclcException;
import oclc.ir.Tensor;
import oclc.ir.exec.SymbolBindings;
import org.jocl.CL;
import org.jocl.CLException;
import org.jocl.Pointer;
import org.jocl.cl_mem;

/**
 * A session's device memory: one buffer per input, and shared slots for everything nodes compute,
 * assigned by liveness at each plan and grown only when a plan needs more. Views use the memory of
 * the value they view; params are the executable's.
 */
final class DeviceBuffers {
  /** No buffer is smaller: OpenCL refuses empty buffers, and tensors may have no elements. */
  private static final long MINIMUM_BYTES = 64;

  private final Executable executable;
  private final Map<String, BufferSpec> buffers;
  private final Map<String, cl_mem> inputs = new LinkedHashMap<>();
  private final Map<String, Long> inputCapacity = new HashMap<>();
  private final Map<String, cl_mem> caches = new LinkedHashMap<>();
  private final Map<String, Long> cacheCapacity = new HashMap<>();
  private final Map<String, Integer> slotOfValue = new HashMap<>();
  private final List<cl_mem> slots = new ArrayList<>();
  private final List<Long> slotCapacity = new ArrayList<>();
  /** The lifetimes of the computed values (launch of first write, of last read): the graph's alone, found once. */
  private Map<String, int[]> lifetimes;
  /** Copies of inputs whose writes may still be in flight (the queue is in order; they are kept until the next plan). */
  private final List<ByteBuffer> staged = new ArrayList<>();
  /** Which value each slot holds now: the last one a launch wrote there. */
  private String[] holder = new String[0];
  /** The computed values in the order of their lifetimes, and the assignment of them to slots in use. */
  private List<String> values;
  private BufferPlanner.Assignment assignment;
  private boolean assignedSeparately;
  /**
   * Counts the changes of the memory any kernel argument names: a new assignment of values to
   * slots, a slot, input or cache buffer made anew. A node whose symbols and this are as at its last
   * plan has the same arguments.
   */
  private long epoch;

  DeviceBuffers(Executable executable, Map<String, BufferSpec> buffers) {
    this.executable = executable;
    this.buffers = buffers;
  }

  /** The value whose memory {@code name} uses (itself unless it is a view). */
  String root(String name) {
    String current = name;
    for (BufferSpec spec = buffers.get(current); spec != null && spec.viewOf() != null; spec = buffers.get(current)) {
      current = spec.viewOf();
    }
    return current;
  }

  /**
   * Places every computed value in a slot for these symbols, and makes the buffers big enough.
   * The assignment of the last plan is kept while every value still fits its slot (lifetimes are
   * the graph's, so it stays valid; a decode step's growing attention rows fit the headroom slots
   * are made with), so that the memory kernels name changes only now and then.
   * Returns whether a KV cache had to grow (which loses what it held).
   */
  boolean assign(List<NodeLaunches> nodes, SymbolBindings symbols, boolean keepEveryValue) {
    if (lifetimes == null) {
      lifetimes = lifetimes(nodes);
      values = List.copyOf(lifetimes.keySet());
    }
    long[] bytes = new long[values.size()];
    for (int v = 0; v < bytes.length; v++) {
      bytes[v] = Math.max(MINIMUM_BYTES, buffers.get(values.get(v)).bytes(symbols));
    }
    BufferPlanner.Assignment next = BufferPlanner.keepOrAssign(assignedSeparately == keepEveryValue ? assignment : null,
        bytes, slotCapacity::get, values, lifetimes, keepEveryValue);
    if (next != assignment) {
      assignment = next;
      assignedSeparately = keepEveryValue;
      place(assignment);
    }
    return ensureInputsAndCaches(symbols);
  }

  /** The count of changes of the memory kernel arguments name (see {@link #epoch}). */
  long epoch() {
    return epoch;
  }

  private Map<String, int[]> lifetimes(List<NodeLaunches> nodes) {
    return BufferPlanner.lifetimes(nodes, this::root, this::isComputed, buffers.values().stream()
        .filter(b -> b.kind() == BufferKind.OUTPUT).map(BufferSpec::name).toList());
  }

  /** Makes the slots of an assignment exist and fit, a quarter larger than asked when made anew. */
  private void place(BufferPlanner.Assignment assignment) {
    epoch++;
    slotOfValue.clear();
    for (int v = 0; v < values.size(); v++) {
      slotOfValue.put(values.get(v), assignment.slotOfValue()[v]);
    }
    for (int s = 0; s < assignment.slotBytes().length; s++) {
      long needed = assignment.slotBytes()[s];
      if (s == slots.size()) {
        slots.add(null);
        slotCapacity.add(0L);
      }
      if (slotCapacity.get(s) < needed) {
        if (slots.get(s) != null) {
          CL.clReleaseMemObject(slots.get(s));
        }
        long made = needed + needed / 4;
        slots.set(s, allocate(made, "a buffer of intermediate values"));
        slotCapacity.set(s, made);
      }
    }
    holder = new String[slots.size()];
  }

  /** Makes the inputs' and the caches' buffers big enough; returns whether a cache had to grow. */
  private boolean ensureInputsAndCaches(SymbolBindings symbols) {
    boolean cachesGrew = false;
    for (BufferSpec b : buffers.values()) {
      if (b.kind() == BufferKind.INPUT && b.viewOf() == null) {
        ensure(inputs, inputCapacity, b, symbols, "input '" + b.name() + "'");
      } else if (b.kind() == BufferKind.CACHE) {
        cachesGrew |= ensure(caches, cacheCapacity, b, symbols, "the KV cache '" + b.name() + "'");
      }
    }
    return cachesGrew;
  }

  /** A dedicated buffer of at least the layout's size; true when it had to be (re)made. */
  private boolean ensure(Map<String, cl_mem> buffers, Map<String, Long> capacity, BufferSpec b, SymbolBindings symbols,
      String what) {
    long needed = Math.max(MINIMUM_BYTES, b.storageBytes(symbols));
    if (capacity.getOrDefault(b.name(), 0L) >= needed) {
      return false;
    }
    if (buffers.containsKey(b.name())) {
      CL.clReleaseMemObject(buffers.get(b.name()));
    }
    buffers.put(b.name(), allocate(needed, what));
    capacity.put(b.name(), needed);
    epoch++;
    return true;
  }

  private boolean isComputed(String root) {
    BufferSpec spec = buffers.get(root);
    return spec != null && (spec.kind() == BufferKind.INTERMEDIATE || spec.kind() == BufferKind.OUTPUT);
  }

  private cl_mem allocate(long bytes, String what) {
    try {
      return CL.clCreateBuffer(executable.device().context(), CL.CL_MEM_READ_WRITE, bytes, null, null);
    } catch (CLException e) {
      throw new OpenClException("clCreateBuffer of " + bytes + " bytes for " + what + " failed on "
          + executable.device().info().name() + ": " + e.getMessage(), e);
    }
  }

  /** Copies a bound input into its buffer (into the first rows of its KV cache, for a past input). */
  void write(String input, Tensor tensor, SymbolBindings symbols) {
    ByteBuffer data = tensor.data();
    if (data.remaining() == 0) {
      return;
    }
    // A copy of our own: the write is not waited for, and the caller may change its tensor meanwhile.
    ByteBuffer direct = ByteBuffer.allocateDirect(data.remaining()).put(data.duplicate()).flip();
    staged.add(direct);
    BufferSpec spec = buffers.get(input);
    if (spec.storage() != null) {
      Rows rows = Rows.of(spec, symbols);
      CL.clEnqueueWriteBufferRect(executable.device().queue(), bufferOf(input), CL.CL_TRUE, new long[3], new long[3],
          rows.region(), rows.storagePitch(), 0, rows.pitch(), 0, Pointer.to(direct), 0, null, null);
      return;
    }
    CL.clEnqueueWriteBuffer(executable.device().queue(), inputs.get(input), CL.CL_FALSE, 0, direct.remaining(),
        Pointer.to(direct), 0, null, null);
  }

  /** Lets go of the copies of earlier inputs, once the queue has finished with them. */
  void releaseStaged() {
    if (!staged.isEmpty()) {
      CL.clFinish(executable.device().queue());
      staged.clear();
    }
  }

  /**
   * Reads a value's elements into {@code into} (from its position, its remaining bytes); a value in
   * a KV cache is read row block by row block out of its capacity.
   */
  void read(String value, ByteBuffer into, SymbolBindings symbols) {
    BufferSpec spec = buffers.get(value);
    cl_mem buffer = bufferHolding(value);
    if (spec.storage() != null) {
      Rows rows = Rows.of(spec, symbols);
      CL.clEnqueueReadBufferRect(executable.device().queue(), buffer, CL.CL_TRUE, new long[3], new long[3],
          rows.region(), rows.storagePitch(), 0, rows.pitch(), 0, Pointer.to(into), 0, null, null);
      return;
    }
    CL.clEnqueueReadBuffer(executable.device().queue(), buffer, CL.CL_TRUE, 0, into.remaining(), Pointer.to(into), 0,
        null, null);
  }

  /**
   * A value inside a larger layout seen as blocks: {@code outer} blocks of {@code pitch} bytes, one
   * every {@code storagePitch} bytes (the layout differs from the shape along one axis).
   */
  private record Rows(long pitch, long storagePitch, long outer) {
    static Rows of(BufferSpec spec, SymbolBindings symbols) {
      long[] shape = spec.shape().stream().mapToLong(d -> d.evaluate(symbols)).toArray();
      long[] layout = spec.storage().stream().mapToLong(d -> d.evaluate(symbols)).toArray();
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
      return axis == shape.length ? new Rows(inner, inner, outer)
          : new Rows(shape[axis] * inner, layout[axis] * inner, outer);
    }

    long[] region() {
      return new long[] {pitch, outer, 1};
    }
  }

  /** The memory a kernel argument names. */
  cl_mem bufferOf(String name) {
    String root = root(name);
    BufferSpec spec = buffers.get(root);
    if (spec == null) {
      throw new OclcException("the manifest declares no buffer '" + root + "'");
    }
    return switch (spec.kind()) {
      case PARAM -> executable.param(root);
      case INPUT -> inputs.get(root);
      case CACHE -> caches.get(root);
      case INTERMEDIATE, OUTPUT -> slots.get(slotOfValue.get(root));
    };
  }

  /** The memory of {@code name}, checking that no later launch has reused it. */
  cl_mem bufferHolding(String name) {
    String root = root(name);
    Integer slot = slotOfValue.get(root);
    if (slot != null && !root.equals(holder[slot])) {
      throw new OclcException(holder[slot] == null && Arrays.stream(holder).noneMatch(root::equals)
          ? "'" + name + "' has not been computed yet: launch its node first"
          : "'" + name + "' was overwritten by '" + holder[slot] + "', which shares its memory (buffers are "
              + "reused by liveness); read it right after its node's launch");
    }
    return bufferOf(name);
  }

  /** The slots a node's outputs live in, and the values they then hold. */
  record Written(int[] slots, String[] values) {}

  /** Where a node's launch writes, found once per plan so that the launch only stores into an array. */
  Written writtenBy(List<String> outputs) {
    List<Integer> slots = new ArrayList<>();
    List<String> values = new ArrayList<>();
    for (String output : outputs) {
      Integer slot = output.isEmpty() ? null : slotOfValue.get(root(output));
      if (slot != null) {
        slots.add(slot);
        values.add(root(output));
      }
    }
    return new Written(slots.stream().mapToInt(Integer::intValue).toArray(), values.toArray(String[]::new));
  }

  /** Notes that a launch has written these values into these slots. */
  void written(int[] slots, String[] values) {
    for (int i = 0; i < slots.length; i++) {
      holder[slots[i]] = values[i];
    }
  }

  /** Fills every slot with 0xFF bytes (NaN as float32, -1 as integers), so that unwritten elements show. */
  void poison() {
    for (int s = 0; s < slots.size(); s++) {
      CL.clEnqueueFillBuffer(executable.device().queue(), slots.get(s), Pointer.to(new byte[] {(byte) 0xFF}), 1, 0,
          slotCapacity.get(s), 0, null, null);
    }
  }

  void forgetContents() {
    Arrays.fill(holder, null);
  }

  List<Long> shapeOf(String value, SymbolBindings symbols) {
    List<Dim> shape = buffers.get(value).shape();
    Long[] sizes = new Long[shape.size()];
    for (int a = 0; a < sizes.length; a++) {
      sizes[a] = shape.get(a).evaluate(symbols);
    }
    return List.of(sizes);
  }

  /** Whether {@code value} has no elements at these symbols (some axis is 0). */
  boolean holdsNothing(String value, SymbolBindings symbols) {
    for (Dim d : buffers.get(value).shape()) {
      if (d.evaluate(symbols) == 0) {
        return true;
      }
    }
    return false;
  }

  int slotCount() {
    return slots.size();
  }

  long slotBytes() {
    return slotCapacity.stream().mapToLong(Long::longValue).sum();
  }

  long inputBytes() {
    return inputCapacity.values().stream().mapToLong(Long::longValue).sum()
        + cacheCapacity.values().stream().mapToLong(Long::longValue).sum();
  }

  long paramBytes() {
    return buffers.values().stream().filter(b -> b.kind() == BufferKind.PARAM).mapToLong(BufferSpec::bytes).sum();
  }

  void release() {
    slots.stream().filter(s -> s != null).forEach(CL::clReleaseMemObject);
    inputs.values().forEach(CL::clReleaseMemObject);
    caches.values().forEach(CL::clReleaseMemObject);
    slots.clear();
    inputs.clear();
    caches.clear();
  }
}
