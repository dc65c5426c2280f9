package oclc.runtime;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import oclc.artifact.Manifest;
import oclc.artifact.Manifest.BufferKind;
import oclc.artifact.Manifest.BufferSpec;
import oclc.artifact.Manifest.NodeLaunches;
import oclc.ir.Dim;
import oclc.ir.Graph;
import oclc.ir.Tensor;
import oclc.ir.exec.InputShapeException;
import oclc.ir.exec.ReferenceExecutor;
import oclc.ir.exec.SymbolBindings;
import oclc.runtime.LaunchPlan.PlannedLaunch;

/**
 * One stream of work on a {@link CompiledModel}, the same on every backend: bind inputs, {@link
 * #plan()} (dims resolved, variants chosen, buffers assigned by liveness, kernel arguments set),
 * then {@link #launch} each node's kernels yourself or {@link #run()} them all. A launch runs or
 * enqueues each dispatch with arguments set in advance: nothing is allocated or built on that path.
 * The device is a {@link Backend} (OpenCL's buffers and kernels, or the Java kernels and their
 * worker threads); what is written here holds for both.
 *
 * <p>Buffers are shared by liveness, so an intermediate can be read after its node's launch until a
 * later launch reuses its memory; {@link #read} says when that happened.
 *
 * <p>A session is one thread's at a time (it holds the bound inputs, the plan and the kernels'
 * arguments, unguarded); threads that work at once each open their own from the one compiled model.
 */
public final class Session implements AutoCloseable {
  // The host's clock around the last run's phases, as plain fields: run() is the launch path and
  // allocates nothing; lastRun() makes the record for whoever asks (0: no run yet).
  private long runStarted;
  private long runPlanned;
  private long runEnqueued;
  private long runFinished;
  private final Manifest manifest;
  private final ParamsCheck paramsCheck;

  /** The inputs whose values index a weight's rows, and the rows. */
  private final Map<String, Manifest.IndexRange> indexRanges = new HashMap<>();

  private final Graph signature;
  private final Map<String, BufferSpec> buffers;
  private final Backend<?> backend;
  private final MemoryPlanner<?> memory;
  private final List<NodeState<?>> nodes = new ArrayList<>();
  private final Map<String, NodeState<?>> nodesByName = new HashMap<>();

  /**
   * Nodes fused into another's launch, and values a fused launch keeps in registers: → that launch.
   */
  private final Map<String, String> fusedInto = new HashMap<>();

  private final Map<String, String> computedInside = new HashMap<>();
  private final Map<String, Tensor> bound = new LinkedHashMap<>();

  /** Past inputs whose values are already in their KV cache on the device, with their shapes. */
  private final Map<String, long[]> resident = new LinkedHashMap<>();

  private SymbolBindings symbols;
  private LaunchPlan plan;
  private boolean profiling;
  private boolean poison;
  private boolean keepEveryValue;
  private final List<TimingRecord> launched = new ArrayList<>();

  private Session(
      Manifest manifest,
      Map<String, BufferSpec> buffers,
      Backend<?> backend,
      MemoryPlanner<?> memory,
      ParamsCheck paramsCheck) {
    this.manifest = manifest;
    this.paramsCheck = paramsCheck;
    this.buffers = buffers;
    this.signature = InputBinding.signatureOf(manifest);
    manifest.inputs().stream()
        .filter(i -> i.indexes() != null)
        .forEach(i -> indexRanges.put(i.name(), i.indexes()));
    this.backend = backend;
    this.memory = memory;
  }

  /**
   * A session of a compiled model on {@code backend}, which it closes when it closes (for a {@link
   * CompiledModel}'s {@code newSession}); {@code planDependencies}: {@link
   * PlanReuse#dependenciesOfNodes} of the manifest, which the compiled model works out once for all
   * its sessions; {@code paramsCheck}: the compiled model's, started here if it has not been, which
   * stops the session once it fails.
   */
  public static <B> Session open(
      Manifest manifest,
      List<Optional<PlanReuse.Dependencies>> planDependencies,
      Backend<B> backend,
      ParamsCheck paramsCheck) {
    Map<String, BufferSpec> buffers = new LinkedHashMap<>();
    manifest.buffers().forEach(b -> buffers.put(b.name(), b));
    paramsCheck.start();
    MemoryPlanner<B> memory = new MemoryPlanner<>(backend, buffers);
    Session session = new Session(manifest, buffers, backend, memory, paramsCheck);
    try {
      for (NodeLaunches node : manifest.nodes()) {
        int index = session.nodes.size();
        NodeState<B> state =
            new NodeState<>(index, node, backend, memory, planDependencies.get(index));
        session.nodes.add(state);
        session.nodesByName.put(node.name(), state);
        node.fused().forEach(member -> session.fusedInto.put(member, node.name()));
        node.internal().forEach(value -> session.computedInside.put(value, node.name()));
      }
    } catch (RuntimeException e) {
      session.close();
      throw e;
    }
    return session;
  }

  /**
   * Binds an input; its dtype and shape are checked against the model's symbolic shape at {@link
   * #plan()}.
   */
  public Session bind(String input, Tensor value) {
    if (manifest.inputs().stream().noneMatch(i -> i.name().equals(input))) {
      throw new InputShapeException(
          "the model has no input named '"
              + input
              + "'; its inputs are "
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
  public Session advanceCache() {
    if (plan == null) {
      throw new IllegalStateException("run the session before advancing its KV cache");
    }
    for (String past : cachedInputs()) {
      BufferSpec present = buffers.get(buffers.get(past).viewOf());
      resident.put(past, Dim.evaluate(present.shape(), symbols));
      bound.remove(past);
    }
    plan = null;
    return this;
  }

  /** The past inputs a KV cache holds for this executable (empty when the model has none). */
  public List<String> cachedInputs() {
    return buffers.values().stream()
        .filter(
            b ->
                b.kind() == BufferKind.INPUT
                    && b.viewOf() != null
                    && buffers.get(b.viewOf()).kind() == BufferKind.CACHE)
        .map(BufferSpec::name)
        .toList();
  }

  /**
   * Resolves every dim for the bound inputs, picks each node's variant, assigns and allocates
   * buffers, writes the inputs and sets the planned variants' kernel arguments (those that changed;
   * another admitted variant's are set at its first launch).
   */
  public LaunchPlan plan() {
    paramsCheck.throwIfFailed();
    Map<String, ReferenceExecutor.BoundShape> shapes = new LinkedHashMap<>();
    bound.forEach((name, t) -> shapes.put(name, ReferenceExecutor.BoundShape.of(t)));
    resident.forEach(
        (name, shape) ->
            shapes.put(name, new ReferenceExecutor.BoundShape(buffers.get(name).dtype(), shape)));
    SymbolBindings bindings = InputBinding.bind(manifest, signature, shapes);
    symbols = bindings;
    backend.planStarted();
    boolean cachesGrew = memory.assign(manifest.nodes(), bindings, keepEveryValue);
    if (cachesGrew && !resident.isEmpty()) {
      throw new InputShapeException(
          "the KV cache had to grow for "
              + bindings
              + ", which loses the past it held "
              + "(for "
              + resident.keySet()
              + "); bind those past inputs again");
    }
    bound.forEach(this::checkIndexes);
    bound.forEach((name, tensor) -> memory.write(name, tensor, bindings));
    List<PlannedLaunch> launches = new ArrayList<>();
    for (NodeState<?> node : nodes) {
      launches.add(node.plan(bindings));
    }
    memory.forgetContents();
    if (poison) {
      memory.poison();
    }
    clearTimings();
    plan =
        new LaunchPlan(
            bindings.values(),
            launches,
            memory.slotCount(),
            memory.slotBytes(),
            memory.inputBytes(),
            memory.paramBytes());
    return plan;
  }

  /**
   * Refuses an input whose values index a weight's rows (token or position ids) where one lies
   * outside them: the kernel would clamp it into another row and compute a wrong result in silence.
   */
  private void checkIndexes(String input, Tensor value) {
    Manifest.IndexRange range = indexRanges.get(input);
    if (range == null) {
      return;
    }
    for (int i = 0; i < value.size(); i++) {
      long index = value.getLong(i);
      if (!range.admits(index)) {
        throw new InputShapeException(
            "input '"
                + input
                + "' holds "
                + index
                + " at element "
                + i
                + " of "
                + java.util.Arrays.toString(value.shape())
                + ": its values index the "
                + range.rows()
                + " rows of '"
                + range.table()
                + "' (node '"
                + range.node()
                + "'), so they must lie in "
                + -range.rows()
                + ".."
                + (range.rows() - 1));
      }
    }
  }

  /** The current plan (planning first when inputs changed). */
  public LaunchPlan currentPlan() {
    return plan == null ? plan() : plan;
  }

  /**
   * Launches the kernels of {@code node} as {@code variant} computes it (a variant that admits the
   * bound shapes).
   */
  public void launch(String node, String variant) {
    paramsCheck.throwIfFailed();
    if (plan == null) {
      throw new IllegalStateException("plan() the session before launching nodes");
    }
    launch(state(node), variant);
  }

  /** A launch by its node's name; a node fused into another's launch says which. */
  private NodeState<?> state(String node) {
    NodeState<?> state = nodesByName.get(node);
    if (state != null) {
      return state;
    }
    String group = fusedInto.get(node);
    if (group != null) {
      throw new IllegalArgumentException(
          "node '"
              + node
              + "' was fused into the launch of '"
              + group
              + "', which "
              + "computes it: launch '"
              + group
              + "' (an artifact compiled without fusion launches every node alone)");
    }
    throw new IllegalArgumentException("the model has no node '" + node + "'");
  }

  private void launch(NodeState<?> state, String variant) {
    state.launch(variant, symbols, profiling ? launched : null);
    memory.written(state.writtenSlots, state.writtenValues);
  }

  /** Launches a planned launch as planned. */
  public void launch(PlannedLaunch launch) {
    launch(launch.node(), launch.variant());
  }

  /**
   * Computes dispatch {@code dispatch} of {@code node}'s {@code variant} with {@code source} from
   * now on: OpenCL C of the same kernel name and arguments as the kernel it replaces (see the
   * artifact's kernels/ for it), built now — an experiment on one node, in this session only, which
   * only the OpenCL backend supports.
   */
  public void replaceKernel(String node, String variant, int dispatch, String source) {
    state(node).replace(variant, dispatch, source, plan == null ? null : symbols);
  }

  /** Launches every node of the plan in order and waits for the device. */
  public void run() {
    paramsCheck.throwIfFailed();
    runStarted = System.nanoTime();
    currentPlan();
    clearTimings();
    runPlanned = System.nanoTime();
    for (NodeState<?> state : nodes) {
      launch(state, state.planned);
    }
    runEnqueued = System.nanoTime();
    finish();
    runFinished = System.nanoTime();
  }

  /**
   * The host's clock ({@link System#nanoTime()}) around the phases of a {@link #run()}: planning
   * (nothing when the plan was current), enqueueing the launches, and waiting for the device.
   */
  public record HostPhases(long started, long planned, long enqueued, long finished) {}

  /** The phases of the last {@link #run()}, or null before the first. */
  public HostPhases lastRun() {
    return runFinished == 0
        ? null
        : new HostPhases(runStarted, runPlanned, runEnqueued, runFinished);
  }

  /** Waits until every enqueued kernel has finished. */
  public void finish() {
    backend.finish();
  }

  /**
   * Fills the shared buffers with NaN at every plan, so that an element no kernel writes shows up
   * in the outputs (for tests and debugging; it costs a fill per slot).
   */
  public Session poisonBuffers(boolean enabled) {
    this.poison = enabled;
    return this;
  }

  /**
   * Gives every value a buffer of its own from the next plan on, so that every intermediate can be
   * read after a whole run (layer-by-layer debugging), at the cost of the memory sharing saves.
   */
  public Session keepEveryValue(boolean enabled) {
    this.keepEveryValue = enabled;
    this.plan = null;
    return this;
  }

  /**
   * Times every dispatch from now on (an OpenCL event, or the launch's own clock), for {@link
   * #timings()}.
   */
  public Session profile(boolean enabled) {
    this.profiling = enabled;
    return this;
  }

  /** The device time of each dispatch launched since the last plan or run, in order. */
  public List<LaunchTiming> timings() {
    finish();
    return launched.stream().map(TimingRecord::read).toList();
  }

  private void clearTimings() {
    launched.forEach(TimingRecord::release);
    launched.clear();
  }

  /** A graph output, after {@link #run()}. */
  public Tensor output(String name) {
    return output(name, null);
  }

  /**
   * The same, read into {@code reuse}'s memory when it is of the output's type and has room for it
   * ({@code reuse}: a tensor an earlier call returned, or null): a loop that reads every step's
   * logits then allocates no buffer for them. The tensor returned shares that memory, which the
   * next read into it overwrites.
   */
  public Tensor output(String name, Tensor reuse) {
    if (manifest.outputs().stream().noneMatch(o -> o.name().equals(name))) {
      throw new IllegalArgumentException(
          "the model has no output '"
              + name
              + "'; its outputs are "
              + manifest.outputs().stream().map(Manifest.TensorSpec::name).toList());
    }
    return read(name, reuse);
  }

  /** Any value a kernel reads or writes, as its buffer holds it now. */
  public Tensor read(String value) {
    return read(value, null);
  }

  private Tensor read(String value, Tensor reuse) {
    if (plan == null) {
      throw new IllegalStateException("plan() and launch before reading '" + value + "'");
    }
    if (computedInside.containsKey(value)) {
      throw new IllegalArgumentException(
          "'"
              + value
              + "' is computed inside the fused launch of '"
              + computedInside.get(value)
              + "' and never stored (no buffer holds it); an artifact compiled without fusion stores it");
    }
    if (!memory.buffered(value)) {
      return backend.unbuffered(value);
    }
    return memory.read(value, reuse, symbols);
  }

  @Override
  public void close() {
    nodes.forEach(NodeState::release);
    memory.release();
    clearTimings();
    backend.close();
  }
}
