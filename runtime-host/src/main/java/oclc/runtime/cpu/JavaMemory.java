package oclc.runtime.cpu;

import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import oclc.artifact.Manifest.BufferKind;
import oclc.artifact.Manifest.BufferSpec;
import oclc.artifact.Manifest.NodeLaunches;
import oclc.codegen.cpu.kernels.Operand;
import oclc.ir.OclcException;
import oclc.ir.Tensor;
import oclc.ir.exec.SymbolBindings;
import oclc.runtime.BufferPlanner;

/**
 * A Java session's memory: a float[] per input and per KV cache, and shared float[] slots for
 * what nodes compute, assigned by liveness ({@link BufferPlanner}) at each plan and grown only when
 * a plan needs more; params are the executable's one array. Every element type lives in float
 * arrays (read through a segment of the same array when it is not float32).
 */
final class JavaMemory {
  /** Poison: all bits set, NaN as float32 and -1 as integers, as the OpenCL session's fill. */
  private static final float POISON = Float.intBitsToFloat(-1);

  private final JavaExecutable executable;
  private final Map<String, BufferSpec> buffers;
  private final Map<String, float[]> dedicated = new LinkedHashMap<>();
  private final Map<String, Integer> slotOfValue = new HashMap<>();
  private final List<float[]> slots = new ArrayList<>();
  private final Map<float[], MemorySegment> segments = new java.util.IdentityHashMap<>();
  private Map<String, int[]> lifetimes;
  /** The specs of {@link #values}, in their order, and of the inputs and caches (each with an array of its own). */
  private BufferSpec[] valueSpecs;
  private BufferSpec[] dedicatedSpecs;
  /**
   * The symbols each value's shape names (bit i: {@link #symbolNames}[i]), the symbols' values at the
   * last plan and the values' sizes then: a decode step changes one symbol, and most sizes stand.
   */
  private long[] valueSymbols;
  private String[] symbolNames;
  private Long[] lastSymbols;
  private long[] lastBytes;
  /** Which value each slot holds now: the last one a launch wrote there. */
  private String[] holder = new String[0];
  /** The computed values in the order of their lifetimes, and their assignment to slots now in use. */
  private List<String> values;
  private BufferPlanner.Assignment assignment;
  private boolean assignedSeparately;
  /**
   * Counts the changes of the arrays operands name: a new assignment of values to slots, a slot, input
   * or cache array made anew. A node whose symbols and this are as at its last plan is bound as it was.
   */
  private long epoch;
  /** The operands of this plan by buffer name (each value is read by several kernels), made once per plan. */
  private final Map<String, Operand> operands = new HashMap<>();
  private long paramBytes = -1;

  JavaMemory(JavaExecutable executable, Map<String, BufferSpec> buffers) {
    this.executable = executable;
    this.buffers = buffers;
  }

  String root(String name) {
    String current = name;
    for (BufferSpec spec = buffers.get(current); spec != null && spec.viewOf() != null; spec = buffers.get(current)) {
      current = spec.viewOf();
    }
    return current;
  }

  /** Places the computed values in slots for these symbols; returns whether a KV cache had to grow. */
  boolean assign(List<NodeLaunches> nodes, SymbolBindings symbols, boolean keepEveryValue) {
    if (lifetimes == null) {
      lifetimes = lifetimes(nodes);
      values = List.copyOf(lifetimes.keySet());
      valueSpecs = values.stream().map(buffers::get).toArray(BufferSpec[]::new);
      dedicatedSpecs = buffers.values().stream()
          .filter(b -> (b.kind() == BufferKind.INPUT && b.viewOf() == null) || b.kind() == BufferKind.CACHE)
          .toArray(BufferSpec[]::new);
    }
    operands.clear();
    long[] bytes = sizes(symbols);
    // The arrays kernels are bound to change only now and then: see BufferPlanner.keepOrAssign.
    BufferPlanner.Assignment next = BufferPlanner.keepOrAssign(assignedSeparately == keepEveryValue ? assignment : null,
        bytes, s -> 4L * slots.get(s).length, values, lifetimes, keepEveryValue);
    if (next != assignment) {
      assignment = next;
      assignedSeparately = keepEveryValue;
      place();
    }
    boolean cachesGrew = false;
    for (BufferSpec b : dedicatedSpecs) {
      int floats = floats(b.storageBytes(symbols));
      float[] known = dedicated.get(b.name());
      if (known == null || known.length < floats) {
        dedicated.put(b.name(), array(floats));
        cachesGrew |= b.kind() == BufferKind.CACHE;
        epoch++;
      }
    }
    return cachesGrew;
  }

  /** Every value's bytes for these symbols, those whose symbols kept their values as at the last plan. */
  private long[] sizes(SymbolBindings symbols) {
    if (valueSymbols == null) {
      java.util.List<String> names = new ArrayList<>();
      valueSymbols = new long[valueSpecs.length];
      for (int v = 0; v < valueSpecs.length; v++) {
        for (oclc.ir.Dim d : valueSpecs[v].shape()) {
          for (String symbol : d.symbols()) {
            if (!names.contains(symbol)) {
              names.add(symbol);
            }
            int bit = names.indexOf(symbol);
            valueSymbols[v] |= bit < 64 ? 1L << bit : -1L; // past 64 symbols, a value counts as changed always
          }
        }
      }
      symbolNames = names.toArray(String[]::new);
      lastSymbols = new Long[symbolNames.length];
    }
    long changed = 0;
    Long[] now = new Long[symbolNames.length];
    for (int i = 0; i < symbolNames.length; i++) {
      now[i] = symbols.values().get(symbolNames[i]);
      if (now[i] == null || !now[i].equals(lastSymbols[i])) {
        changed |= i < 64 ? 1L << i : -1L;
      }
    }
    long[] bytes = new long[valueSpecs.length];
    for (int v = 0; v < bytes.length; v++) {
      boolean stands = lastBytes != null && (valueSymbols[v] & changed) == 0;
      bytes[v] = stands ? lastBytes[v] : Math.max(Float.BYTES, valueSpecs[v].bytes(symbols));
    }
    lastSymbols = now;
    lastBytes = bytes;
    return bytes;
  }

  /** Makes the slots of the assignment exist and fit, a quarter larger than asked when made anew. */
  private void place() {
    epoch++;
    slotOfValue.clear();
    for (int v = 0; v < values.size(); v++) {
      slotOfValue.put(values.get(v), assignment.slotOfValue()[v]);
    }
    for (int s = 0; s < assignment.slotBytes().length; s++) {
      int floats = floats(assignment.slotBytes()[s]);
      if (s == slots.size()) {
        slots.add(null);
      }
      if (slots.get(s) == null || slots.get(s).length < floats) {
        slots.set(s, array(floats + floats / 4));
      }
    }
    holder = new String[slots.size()];
  }

  /** The count of changes of the arrays operands name (see {@link #epoch}). */
  long epoch() {
    return epoch;
  }

  private static int floats(long bytes) {
    long floats = Math.max(1, (bytes + Float.BYTES - 1) / Float.BYTES);
    if (floats > Integer.MAX_VALUE - 8) {
      throw new OclcException("a buffer of " + bytes + " bytes exceeds what one Java array holds (8 GiB)");
    }
    return (int) floats;
  }

  private float[] array(int floats) {
    float[] array = new float[floats];
    segments.put(array, MemorySegment.ofArray(array));
    return array;
  }

  /** Root value → {launch that writes it first, launch that reads it last}; graph outputs live to the end. */
  private Map<String, int[]> lifetimes(List<NodeLaunches> nodes) {
    return BufferPlanner.lifetimes(nodes, this::root, value -> buffers.get(value) != null
            && (buffers.get(value).kind() == BufferKind.INTERMEDIATE || buffers.get(value).kind() == BufferKind.OUTPUT),
        buffers.values().stream().filter(b -> b.kind() == BufferKind.OUTPUT).map(BufferSpec::name).toList());
  }

  /** Whether a buffer holds the value (else the session holds it as a host tensor: its shape is the data's). */
  boolean buffered(String name) {
    return buffers.containsKey(name);
  }

  /** The operand of a buffer for these symbols: its memory, offset, shape and the strides of its layout. */
  Operand operand(String name, SymbolBindings symbols) {
    if (name.isEmpty()) {
      return null;
    }
    Operand known = operands.get(name);
    if (known != null) {
      return known;
    }
    BufferSpec spec = buffers.get(name);
    if (spec == null) {
      return Operand.hostHeld(name);
    }
    if (spec.permutation() != null) { // the viewed value's memory, its strides permuted
      Operand viewed = operand(spec.viewOf(), symbols);
      long[] strides = new long[spec.permutation().size()];
      for (int axis = 0; axis < strides.length; axis++) {
        strides[axis] = viewed.strides()[spec.permutation().get(axis)];
      }
      long[] shape = evaluate(spec.shape(), symbols);
      Operand operand = new Operand(name, spec.dtype(), viewed.array(), viewed.memory(), viewed.byteOffset(), shape,
          strides);
      operands.put(name, operand);
      return operand;
    }
    String root = root(name);
    BufferSpec rootSpec = buffers.get(root);
    float[] array;
    long offset = 0;
    switch (rootSpec.kind()) {
      case PARAM -> {
        array = executable.params();
        offset = rootSpec.offset();
      }
      case INPUT, CACHE -> array = dedicated.get(root);
      default -> array = slots.get(slotOfValue.get(root));
    }
    long[] shape = evaluate(spec.shape(), symbols);
    long[] layout = spec.shape() == spec.layout() ? shape : evaluate(spec.layout(), symbols);
    MemorySegment memory = rootSpec.kind() == BufferKind.PARAM ? executable.paramSegment() : segments.get(array);
    Operand operand = new Operand(name, spec.dtype(), array, memory, offset, shape, Tensor.rowMajorStrides(layout));
    operands.put(name, operand);
    return operand;
  }

  private static long[] evaluate(List<oclc.ir.Dim> dims, SymbolBindings symbols) {
    long[] values = new long[dims.size()];
    for (int i = 0; i < values.length; i++) {
      values[i] = dims.get(i).evaluate(symbols);
    }
    return values;
  }

  /** The slots a node's outputs live in, and the values they then hold (for {@link #written}). */
  record Written(int[] slots, String[] values) {}

  Written writtenBy(List<String> outputs) {
    List<Integer> slotList = new ArrayList<>();
    List<String> values = new ArrayList<>();
    for (String output : outputs) {
      Integer slot = output.isEmpty() ? null : slotOfValue.get(root(output));
      if (slot != null) {
        slotList.add(slot);
        values.add(root(output));
      }
    }
    return new Written(slotList.stream().mapToInt(Integer::intValue).toArray(), values.toArray(String[]::new));
  }

  void written(int[] written, String[] values) {
    for (int i = 0; i < written.length; i++) {
      holder[written[i]] = values[i];
    }
  }

  /** Checks that no later launch has reused the memory of {@code name}. */
  void requireHeld(String name) {
    String root = root(name);
    Integer slot = slotOfValue.get(root);
    if (slot != null && !root.equals(holder[slot])) {
      throw new OclcException(holder[slot] == null && Arrays.stream(holder).noneMatch(root::equals)
          ? "'" + name + "' has not been computed yet: launch its node first"
          : "'" + name + "' was overwritten by '" + holder[slot] + "', which shares its memory (buffers are "
              + "reused by liveness); read it right after its node's launch");
    }
  }

  void poison() {
    slots.forEach(s -> Arrays.fill(s, POISON));
  }

  void forgetContents() {
    Arrays.fill(holder, null);
  }

  int slotCount() {
    return slots.size();
  }

  long slotBytes() {
    return slots.stream().mapToLong(s -> (long) s.length * Float.BYTES).sum();
  }

  long inputBytes() {
    return dedicated.values().stream().mapToLong(s -> (long) s.length * Float.BYTES).sum();
  }

  long paramBytes() {
    if (paramBytes < 0) {
      paramBytes = buffers.values().stream().filter(b -> b.kind() == BufferKind.PARAM).mapToLong(BufferSpec::bytes).sum();
    }
    return paramBytes;
  }
}
