package oclc.runtime;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import oclc.artifact.Manifest.BufferKind;
import oclc.artifact.Manifest.BufferSpec;
import oclc.artifact.Manifest.NodeLaunches;
import oclc.ir.Dim;
import oclc.ir.OclcException;
import oclc.ir.Tensor;
import oclc.ir.exec.SymbolBindings;

/**
 * A session's memory, on any backend ({@code B}: its buffer): one buffer per input and per KV
 * cache, and shared slots for everything nodes compute, assigned by liveness ({@link
 * BufferPlanner}) at each plan and grown only when a plan needs more. Views use the memory of the
 * value they view; params are the executable's. It knows which value each slot holds now, so that a
 * read of a value a later launch overwrote says so.
 */
public final class MemoryPlanner<B> {
  /** No buffer is smaller: OpenCL refuses empty buffers, and tensors may have no elements. */
  private static final long MINIMUM_BYTES = 64;

  private final Backend<B> backend;
  private final Map<String, BufferSpec> buffers;

  /** The inputs' and the caches' buffers, with their bytes: each has one of its own. */
  private final Map<String, B> dedicated = new HashMap<>();

  private final Map<String, Long> dedicatedCapacity = new HashMap<>();
  private final Map<String, Integer> slotOfValue = new HashMap<>();
  private final List<B> slots = new ArrayList<>();
  private final List<Long> slotCapacity = new ArrayList<>();

  /**
   * The lifetimes of the computed values (launch of first write, of last read): the graph's alone,
   * found once.
   */
  private Map<String, int[]> lifetimes;

  /**
   * The computed values in the order of their lifetimes, their specs, and the inputs' and caches'
   * specs.
   */
  private List<String> values;

  private BufferSpec[] valueSpecs;
  private BufferSpec[] dedicatedSpecs;

  /**
   * The symbols each value's shape names (bit i: {@link #symbolNames}[i]), the symbols' values at
   * the last plan and the values' sizes then: a decode step changes one symbol, and most sizes
   * stand.
   */
  private long[] valueSymbols;

  private String[] symbolNames;
  private Long[] lastSymbols;
  private long[] lastBytes;

  /** Which value each slot holds now: the last one a launch wrote there. */
  private String[] holder = new String[0];

  private BufferPlanner.Assignment assignment;
  private boolean assignedSeparately;

  /**
   * Counts the changes of the memory any kernel argument names: a new assignment of values to
   * slots, a slot, input or cache buffer made anew. A node whose symbols and this are as at its
   * last plan has the same arguments.
   */
  private long epoch;

  private long paramBytes = -1;

  MemoryPlanner(Backend<B> backend, Map<String, BufferSpec> buffers) {
    this.backend = backend;
    this.buffers = buffers;
  }

  /** The spec of a buffer, or null when the manifest declares none of that name. */
  public BufferSpec spec(String name) {
    return buffers.get(name);
  }

  /** The value whose memory {@code name} uses (itself unless it is a view). */
  public String root(String name) {
    String current = name;
    for (BufferSpec spec = buffers.get(current);
        spec != null && spec.viewOf() != null;
        spec = buffers.get(current)) {
      current = spec.viewOf();
    }
    return current;
  }

  /**
   * Whether a buffer holds the value (else the backend holds it on the host: its shape is the
   * data's).
   */
  boolean buffered(String name) {
    return buffers.containsKey(name);
  }

  /**
   * Places every computed value in a slot for these symbols, and makes the buffers big enough. The
   * assignment of the last plan is kept while every value still fits its slot (lifetimes are the
   * graph's, so it stays valid; a decode step's growing attention rows fit the headroom slots are
   * made with), so that the memory kernels name changes only now and then. Returns whether a KV
   * cache had to grow (which loses what it held).
   */
  boolean assign(List<NodeLaunches> nodes, SymbolBindings symbols, boolean keepEveryValue) {
    if (lifetimes == null) {
      lifetimes =
          BufferPlanner.lifetimes(
              nodes,
              this::root,
              this::isComputed,
              buffers.values().stream()
                  .filter(b -> b.kind() == BufferKind.OUTPUT)
                  .map(BufferSpec::name)
                  .toList());
      values = List.copyOf(lifetimes.keySet());
      valueSpecs = values.stream().map(buffers::get).toArray(BufferSpec[]::new);
      dedicatedSpecs =
          buffers.values().stream()
              .filter(
                  b ->
                      (b.kind() == BufferKind.INPUT && b.viewOf() == null)
                          || b.kind() == BufferKind.CACHE)
              .toArray(BufferSpec[]::new);
    }
    BufferPlanner.Assignment next =
        BufferPlanner.keepOrAssign(
            assignedSeparately == keepEveryValue ? assignment : null,
            sizes(symbols),
            slotCapacity::get,
            values,
            lifetimes,
            keepEveryValue);
    if (next != assignment) {
      assignment = next;
      assignedSeparately = keepEveryValue;
      place(assignment);
    }
    boolean cachesGrew = false;
    for (BufferSpec b : dedicatedSpecs) {
      boolean cache = b.kind() == BufferKind.CACHE;
      cachesGrew |=
          ensure(b, symbols, cache ? "the KV cache '" + b.name() + "'" : "input '" + b.name() + "'")
              && cache;
    }
    return cachesGrew;
  }

  /**
   * Every value's bytes for these symbols, those whose symbols kept their values as at the last
   * plan.
   */
  private long[] sizes(SymbolBindings symbols) {
    if (valueSymbols == null) {
      List<String> names = new ArrayList<>();
      valueSymbols = new long[valueSpecs.length];
      for (int v = 0; v < valueSpecs.length; v++) {
        for (Dim d : valueSpecs[v].shape()) {
          for (String symbol : d.symbols()) {
            if (!names.contains(symbol)) {
              names.add(symbol);
            }
            int bit = names.indexOf(symbol);
            valueSymbols[v] |=
                bit < 64 ? 1L << bit : -1L; // past 64 symbols, a value counts as changed always
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
      bytes[v] = stands ? lastBytes[v] : Math.max(MINIMUM_BYTES, valueSpecs[v].bytes(symbols));
    }
    lastSymbols = now;
    lastBytes = bytes;
    return bytes;
  }

  /** The count of changes of the memory kernel arguments name (see {@link #epoch}). */
  long epoch() {
    return epoch;
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
          backend.release(slots.get(s));
        }
        long made = needed + needed / 4;
        slots.set(s, backend.allocate(made, "a buffer of intermediate values"));
        slotCapacity.set(s, made);
      }
    }
    holder = new String[slots.size()];
  }

  /** A dedicated buffer of at least the layout's size; true when it had to be (re)made. */
  private boolean ensure(BufferSpec b, SymbolBindings symbols, String what) {
    long needed = Math.max(MINIMUM_BYTES, b.storageBytes(symbols));
    if (dedicatedCapacity.getOrDefault(b.name(), 0L) >= needed) {
      return false;
    }
    B known = dedicated.get(b.name());
    if (known != null) {
      backend.release(known);
    }
    dedicated.put(b.name(), backend.allocate(needed, what));
    dedicatedCapacity.put(b.name(), needed);
    epoch++;
    return true;
  }

  private boolean isComputed(String root) {
    BufferSpec spec = buffers.get(root);
    return spec != null
        && (spec.kind() == BufferKind.INTERMEDIATE || spec.kind() == BufferKind.OUTPUT);
  }

  /** The memory a kernel argument names (a param's: the executable's buffer that holds it). */
  public B bufferOf(String name) {
    String root = root(name);
    BufferSpec spec = buffers.get(root);
    if (spec == null) {
      throw new OclcException("the manifest declares no buffer '" + root + "'");
    }
    return switch (spec.kind()) {
      case PARAM -> backend.param(root);
      case INPUT, CACHE -> dedicated.get(root);
      case INTERMEDIATE, OUTPUT -> slots.get(slotOfValue.get(root));
    };
  }

  /** Copies a bound input into its buffer, through the backend. */
  void write(String input, Tensor tensor, SymbolBindings symbols) {
    backend.write(input, tensor, symbols, this);
  }

  /**
   * A buffered value as its buffer holds it now, checking that no later launch has reused its
   * memory.
   */
  Tensor read(String value, Tensor reuse, SymbolBindings symbols) {
    requireHeld(value);
    return backend.read(value, reuse, symbols, this);
  }

  /** Checks that no later launch has reused the memory of {@code name}. */
  private void requireHeld(String name) {
    String root = root(name);
    Integer slot = slotOfValue.get(root);
    if (slot != null && !root.equals(holder[slot])) {
      throw new OclcException(
          holder[slot] == null && Arrays.stream(holder).noneMatch(root::equals)
              ? "'" + name + "' has not been computed yet: launch its node first"
              : "'"
                  + name
                  + "' was overwritten by '"
                  + holder[slot]
                  + "', which shares its memory (buffers are "
                  + "reused by liveness); read it right after its node's launch");
    }
  }

  /** The slots a node's outputs live in, and the values they then hold. */
  record Written(int[] slots, String[] values) {}

  /**
   * Where a node's launch writes, found once per assignment so that the launch only stores into an
   * array.
   */
  Written writtenBy(List<String> outputs) {
    List<Integer> slots = new ArrayList<>();
    List<String> written = new ArrayList<>();
    for (String output : outputs) {
      Integer slot = output.isEmpty() ? null : slotOfValue.get(root(output));
      if (slot != null) {
        slots.add(slot);
        written.add(root(output));
      }
    }
    return new Written(
        slots.stream().mapToInt(Integer::intValue).toArray(), written.toArray(String[]::new));
  }

  /** Notes that a launch has written these values into these slots. */
  void written(int[] slots, String[] values) {
    for (int i = 0; i < slots.length; i++) {
      holder[slots[i]] = values[i];
    }
  }

  /**
   * Fills every slot with 0xFF bytes (NaN as float32, -1 as integers), so that unwritten elements
   * show.
   */
  void poison() {
    for (int s = 0; s < slots.size(); s++) {
      backend.poison(slots.get(s), slotCapacity.get(s));
    }
  }

  void forgetContents() {
    Arrays.fill(holder, null);
  }

  /** The shape of a buffered value at these symbols. */
  List<Long> shapeOf(String value, SymbolBindings symbols) {
    List<Dim> shape = buffers.get(value).shape();
    Long[] sizes = new Long[shape.size()];
    for (int a = 0; a < sizes.length; a++) {
      sizes[a] = shape.get(a).evaluate(symbols);
    }
    return List.of(sizes);
  }

  /** Whether a buffered {@code value} has no elements at these symbols (some axis is 0). */
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
    return dedicatedCapacity.values().stream().mapToLong(Long::longValue).sum();
  }

  long paramBytes() {
    if (paramBytes < 0) {
      paramBytes =
          buffers.values().stream()
              .filter(b -> b.kind() == BufferKind.PARAM)
              .mapToLong(BufferSpec::bytes)
              .sum();
    }
    return paramBytes;
  }

  /** Lets go of every buffer this made. */
  void release() {
    slots.stream().filter(s -> s != null).forEach(backend::release);
    dedicated.values().forEach(backend::release);
    slots.clear();
    slotCapacity.clear();
    dedicated.clear();
    dedicatedCapacity.clear();
  }
}
