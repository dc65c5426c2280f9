package oclc.runtime;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import oclc.artifact.Manifest;
import oclc.artifact.Manifest.BufferKind;
import oclc.artifact.Manifest.BufferSpec;
import oclc.artifact.Manifest.NodeLaunches;
import oclc.ir.Graph;
import oclc.ir.Tensor;
import oclc.ir.exec.InputShapeException;
import oclc.ir.exec.ReferenceExecutor;
import oclc.ir.exec.SymbolBindings;
import oclc.runtime.LaunchPlan.PlannedLaunch;
import org.jocl.CL;
import org.jocl.CLException;

/**
 * One stream of work on an {@link Executable}: bind inputs, {@link #plan()} (dims resolved,
 * variants chosen, buffers assigned by liveness, kernel arguments set), then {@link #launch} each
 * node's kernels yourself or {@link #run()} them all. A launch is one enqueue per dispatch with
 * arguments set in advance: nothing is allocated or built on that path.
 *
 * <p>Buffers are shared by liveness, so an intermediate can be read after its node's launch until a
 * later launch reuses its memory; {@link #read} says when that happened.
 */
public final class Session implements ModelSession {
  private final Executable executable;
  private final Manifest manifest;
  private final Graph signature;
  private final Map<String, BufferSpec> buffers = new LinkedHashMap<>();
  private final List<NodeState> nodes = new ArrayList<>();
  private final Map<String, NodeState> nodesByName = new HashMap<>();
  /** Nodes fused into another's launch, and values a fused launch keeps in registers: → that launch. */
  private final Map<String, String> fusedInto = new HashMap<>();
  private final Map<String, String> computedInside = new HashMap<>();
  private final Map<String, Tensor> bound = new LinkedHashMap<>();
  /** Past inputs whose values are already in their KV cache on the device, with their shapes. */
  private final Map<String, long[]> resident = new LinkedHashMap<>();
  private final DeviceBuffers memory;

  private SymbolBindings symbols;
  private LaunchPlan plan;
  private boolean profiling;
  private boolean poison;
  private boolean keepEveryValue;
  private final List<LaunchTiming.Pending> launched = new ArrayList<>();

  Session(Executable executable) {
    this.executable = executable;
    this.manifest = executable.manifest();
    manifest.buffers().forEach(b -> buffers.put(b.name(), b));
    this.signature = InputBinding.signatureOf(manifest);
    this.memory = new DeviceBuffers(executable, buffers);
    try {
      for (NodeLaunches node : manifest.nodes()) {
        NodeState state = new NodeState(nodes.size(), node, executable);
        nodes.add(state);
        nodesByName.put(node.name(), state);
        node.fused().forEach(member -> fusedInto.put(member, node.name()));
        node.internal().forEach(value -> computedInside.put(value, node.name()));
      }
    } catch (RuntimeException e) {
      close();
      throw e;
    }
  }

  /** Binds an input; its dtype and shape are checked against the model's symbolic shape at {@link #plan()}. */
  @Override
  public Session bind(String input, Tensor value) {
    if (manifest.inputs().stream().noneMatch(i -> i.name().equals(input))) {
      throw new InputShapeException("the model has no input named '" + input + "'; its inputs are "
          + manifest.inputs().stream().map(Manifest.TensorSpec::name).toList());
    }
    bound.put(input, value);
    resident.remove(input);
    plan = null;
    return this;
  }

  /**
   * The KV cache step of generation: every past input that is a view of a KV cache now holds what
   * the last run's present output holds — already in place on the device, so nothing is copied.
   * Bind the next tokens and run again; the new keys and values are appended behind these.
   */
  @Override
  public Session advanceCache() {
    if (plan == null) {
      throw new IllegalStateException("run the session before advancing its KV cache");
    }
    for (String past : cachedInputs()) {
      BufferSpec present = buffers.get(buffers.get(past).viewOf());
      resident.put(past, present.shape().stream().mapToLong(d -> d.evaluate(symbols)).toArray());
      bound.remove(past);
    }
    plan = null;
    return this;
  }

  /** The past inputs a KV cache holds for this executable (empty when the model has none). */
  @Override
  public List<String> cachedInputs() {
    return buffers.values().stream()
        .filter(b -> b.kind() == BufferKind.INPUT && b.viewOf() != null && buffers.get(b.viewOf()).kind() == BufferKind.CACHE)
        .map(BufferSpec::name).toList();
  }

  /**
   * Resolves every dim for the bound inputs, picks each node's variant, assigns and allocates
   * buffers, writes the inputs and sets the planned variants' kernel arguments (those that changed;
   * another admitted variant's are set at its first launch).
   */
  @Override
  public LaunchPlan plan() {
    Map<String, ReferenceExecutor.BoundShape> shapes = new LinkedHashMap<>();
    bound.forEach((name, t) -> shapes.put(name, ReferenceExecutor.BoundShape.of(t)));
    resident.forEach((name, shape) -> shapes.put(name, new ReferenceExecutor.BoundShape(buffers.get(name).dtype(), shape)));
    SymbolBindings bindings = InputBinding.bind(manifest, signature, shapes);
    symbols = bindings;
    memory.releaseStaged();
    boolean cachesGrew = memory.assign(manifest.nodes(), bindings, keepEveryValue);
    if (cachesGrew && !resident.isEmpty()) {
      throw new InputShapeException("the KV cache had to grow for " + bindings + ", which loses the past it held "
          + "(for " + resident.keySet() + "); bind those past inputs again");
    }
    bound.forEach((name, tensor) -> memory.write(name, tensor, bindings));
    List<PlannedLaunch> launches = new ArrayList<>();
    for (NodeState node : nodes) {
      launches.add(node.plan(bindings, memory));
    }
    memory.forgetContents();
    if (poison) {
      memory.poison();
    }
    clearTimings();
    plan = new LaunchPlan(bindings.values(), launches, memory.slotCount(), memory.slotBytes(),
        memory.inputBytes(), memory.paramBytes());
    return plan;
  }

  /** The current plan (planning first when inputs changed). */
  @Override
  public LaunchPlan currentPlan() {
    return plan == null ? plan() : plan;
  }

  /** Enqueues the kernels of {@code node} as {@code variant} computes it (a variant that admits the bound shapes). */
  @Override
  public void launch(String node, String variant) {
    if (plan == null) {
      throw new IllegalStateException("plan() the session before launching nodes");
    }
    launch(state(node), variant);
  }

  /** A launch by its node's name; a node fused into another's launch says which. */
  private NodeState state(String node) {
    NodeState state = nodesByName.get(node);
    if (state != null) {
      return state;
    }
    String group = fusedInto.get(node);
    if (group != null) {
      throw new IllegalArgumentException("node '" + node + "' was fused into the launch of '" + group + "', which "
          + "computes it: launch '" + group + "' (or compile with --no-fuse to launch every node alone)");
    }
    throw new IllegalArgumentException("the model has no node '" + node + "'");
  }

  private void launch(NodeState state, String variant) {
    state.launch(variant, executable.device(), profiling ? launched : null, symbols, memory);
    memory.written(state.writtenSlots, state.writtenValues);
  }

  /** Enqueues a planned launch as planned. */
  @Override
  public void launch(PlannedLaunch launch) {
    launch(launch.node(), launch.variant());
  }

  /**
   * Computes dispatch {@code dispatch} of {@code node}'s {@code variant} with {@code source} from
   * now on: OpenCL C of the same kernel name and arguments as the kernel it replaces (see the
   * artifact's kernels/ for it), built now — an experiment on one node, in this session only.
   */
  public void replaceKernel(String node, String variant, int dispatch, String source) {
    NodeState state = state(node);
    VariantState v = state.variants.get(variant);
    if (v == null || dispatch < 0 || dispatch >= v.kernels.length) {
      throw new IllegalArgumentException("node '" + node + "' has no dispatch " + dispatch + " of a variant '" + variant
          + "'; its variants are " + state.variants.keySet());
    }
    String kernel = v.variant.dispatches().get(dispatch).kernel();
    var program = executable.device().buildFromSource(kernel, source, KernelBuilder.BUILD_OPTIONS);
    try {
      v.replace(dispatch, CL.clCreateKernel(program, kernel, null));
    } catch (CLException e) {
      throw new OpenClException("the replacement for " + kernel + " of node '" + node + "' has no kernel named " + kernel
          + ": " + e.getMessage(), e);
    } finally {
      CL.clReleaseProgram(program); // the kernel keeps it alive
    }
    if (plan != null && plan.launch(node).variant().equals(variant)) {
      v.setArguments(symbols, memory, node);
    }
  }

  /** Launches every node of the plan in order and waits for the device. */
  @Override
  public void run() {
    currentPlan();
    clearTimings();
    for (NodeState state : nodes) {
      launch(state, state.planned);
    }
    finish();
  }

  /** Waits until every enqueued kernel has finished. */
  @Override
  public void finish() {
    CL.clFinish(executable.device().queue());
  }

  /**
   * Fills the shared buffers with NaN at every plan, so that an element no kernel writes shows up
   * in the outputs (for tests and debugging; it costs a fill per slot).
   */
  @Override
  public Session poisonBuffers(boolean enabled) {
    this.poison = enabled;
    return this;
  }

  /**
   * Gives every value a buffer of its own from the next plan on, so that every intermediate can be
   * read after a whole run (layer-by-layer debugging), at the cost of the memory sharing saves.
   */
  @Override
  public Session keepEveryValue(boolean enabled) {
    this.keepEveryValue = enabled;
    this.plan = null;
    return this;
  }

  /** Records an OpenCL event per dispatch from now on, for {@link #timings()}. */
  @Override
  public Session profile(boolean enabled) {
    this.profiling = enabled;
    return this;
  }

  /** The device time of each dispatch launched since the last plan or run, in order. */
  @Override
  public List<LaunchTiming> timings() {
    finish();
    return launched.stream().map(LaunchTiming.Pending::read).toList();
  }

  private void clearTimings() {
    launched.forEach(LaunchTiming.Pending::release);
    launched.clear();
  }

  /** A graph output, after {@link #run()}. */
  @Override
  public Tensor output(String name) {
    return output(name, null);
  }

  @Override
  public Tensor output(String name, Tensor reuse) {
    if (manifest.outputs().stream().noneMatch(o -> o.name().equals(name))) {
      throw new IllegalArgumentException("the model has no output '" + name + "'; its outputs are "
          + manifest.outputs().stream().map(Manifest.TensorSpec::name).toList());
    }
    return read(name, reuse);
  }

  /** Any value a kernel reads or writes, as its buffer holds it now. */
  @Override
  public Tensor read(String value) {
    return read(value, null);
  }

  private Tensor read(String value, Tensor reuse) {
    if (plan == null) {
      throw new IllegalStateException("plan() and launch before reading '" + value + "'");
    }
    BufferSpec spec = buffers.get(value);
    if (spec == null && computedInside.containsKey(value)) {
      throw new IllegalArgumentException("'" + value + "' is computed inside the fused launch of '"
          + computedInside.get(value) + "' and never stored (no buffer holds it); compile with --no-fuse to read it");
    }
    if (spec == null) {
      throw new IllegalArgumentException("no buffer holds '" + value + "'");
    }
    long[] shape = spec.shape().stream().mapToLong(d -> d.evaluate(symbols)).toArray();
    int size = (int) Math.max(spec.bytes(symbols), 0);
    ByteBuffer into = Tensor.memoryFor(reuse, spec.dtype(), size, true); // JOCL reads into direct memory
    if (size > 0) {
      memory.read(value, into.duplicate().order(ByteOrder.LITTLE_ENDIAN).limit(size), symbols);
    }
    return Tensor.inMemory(spec.dtype(), shape, into);
  }

  @Override
  public void close() {
    nodes.forEach(NodeState::release);
    memory.release();
    clearTimings();
  }
}
