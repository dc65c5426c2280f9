package oclc.runtime.cpu;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import oclc.artifact.Manifest;
import oclc.artifact.Manifest.BufferKind;
import oclc.artifact.Manifest.BufferSpec;
import oclc.artifact.Manifest.NodeLaunches;
import oclc.codegen.cpu.kernels.HostValues;
import oclc.codegen.cpu.kernels.Operand;
import oclc.codegen.cpu.kernels.TensorCopies;
import oclc.codegen.cpu.linalg.WorkerPool;
import oclc.ir.Graph;
import oclc.ir.OclcException;
import oclc.ir.Tensor;
import oclc.ir.exec.InputShapeException;
import oclc.ir.exec.ReferenceExecutor;
import oclc.ir.exec.SymbolBindings;
import oclc.runtime.InputBinding;
import oclc.runtime.LaunchPlan;
import oclc.runtime.LaunchPlan.PlannedLaunch;
import oclc.runtime.LaunchTiming;
import oclc.runtime.ModelSession;

/**
 * A session of the Java backend: the OpenCL session's model (bind, plan, launch(node, variant),
 * run, read, advanceCache) over heap arrays. {@link #plan()} binds every kernel of the planned
 * variants to its operands; a launch runs them, splitting large ones over the session's worker
 * threads, and allocates nothing (except the labelled reference fallback).
 *
 * <p>Values whose shapes only the data decides have no buffer: the fallback nodes that make them
 * keep them as host tensors and those that read them find them there, so the plan of every other
 * value stays the one made from the input shapes.
 */
public final class JavaSession implements ModelSession, HostValues {
  private final JavaExecutable executable;
  private final Manifest manifest;
  private final Graph signature;
  private final Map<String, BufferSpec> buffers = new LinkedHashMap<>();
  private final List<JavaNode> nodes = new ArrayList<>();
  private final Map<String, JavaNode> nodesByName = new HashMap<>();
  /** Nodes fused into another's launch, and values a fused launch keeps in no buffer: → that launch. */
  private final Map<String, String> fusedInto = new HashMap<>();
  private final Map<String, String> computedInside = new HashMap<>();
  private final Map<String, Tensor> bound = new LinkedHashMap<>();
  private final Map<String, long[]> resident = new LinkedHashMap<>();
  private final Map<String, Tensor> hostValues = new HashMap<>();
  private final JavaMemory memory;
  private final WorkerPool pool;

  private SymbolBindings symbols;
  private LaunchPlan plan;
  private boolean profiling;
  private boolean poison;
  private boolean keepEveryValue;
  private final List<LaunchTiming> launched = new ArrayList<>();

  JavaSession(JavaExecutable executable) {
    this.executable = executable;
    this.manifest = executable.manifest();
    manifest.buffers().forEach(b -> buffers.put(b.name(), b));
    this.signature = InputBinding.signatureOf(manifest);
    this.memory = new JavaMemory(executable, buffers);
    this.pool = new WorkerPool(executable.threads());
    for (NodeLaunches node : manifest.nodes()) {
      JavaNode state = new JavaNode(nodes.size(), node, executable, pool, this);
      nodes.add(state);
      nodesByName.put(node.name(), state);
      node.fused().forEach(member -> fusedInto.put(member, node.name()));
      node.internal().forEach(value -> computedInside.put(value, node.name()));
    }
  }

  @Override
  public JavaSession bind(String input, Tensor value) {
    if (manifest.inputs().stream().noneMatch(i -> i.name().equals(input))) {
      throw new InputShapeException("the model has no input named '" + input + "'; its inputs are "
          + manifest.inputs().stream().map(Manifest.TensorSpec::name).toList());
    }
    bound.put(input, value);
    resident.remove(input);
    plan = null;
    return this;
  }

  @Override
  public JavaSession advanceCache() {
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

  @Override
  public List<String> cachedInputs() {
    return buffers.values().stream()
        .filter(b -> b.kind() == BufferKind.INPUT && b.viewOf() != null && buffers.get(b.viewOf()).kind() == BufferKind.CACHE)
        .map(BufferSpec::name).toList();
  }

  @Override
  public LaunchPlan plan() {
    Map<String, ReferenceExecutor.BoundShape> shapes = new LinkedHashMap<>();
    bound.forEach((name, t) -> shapes.put(name, ReferenceExecutor.BoundShape.of(t)));
    resident.forEach((name, shape) -> shapes.put(name, new ReferenceExecutor.BoundShape(buffers.get(name).dtype(), shape)));
    SymbolBindings bindings = InputBinding.bind(manifest, signature, shapes);
    symbols = bindings;
    boolean cachesGrew = memory.assign(manifest.nodes(), bindings, keepEveryValue);
    if (cachesGrew && !resident.isEmpty()) {
      throw new InputShapeException("the KV cache had to grow for " + bindings + ", which loses the past it held "
          + "(for " + resident.keySet() + "); bind those past inputs again");
    }
    hostValues.clear();
    bound.forEach((name, tensor) -> TensorCopies.copy(tensor, memory.operand(name, bindings)));
    List<PlannedLaunch> launches = new ArrayList<>();
    for (JavaNode node : nodes) {
      launches.add(node.plan(bindings, memory));
    }
    memory.forgetContents();
    if (poison) {
      memory.poison();
    }
    launched.clear();
    plan = new LaunchPlan(bindings.values(), launches, memory.slotCount(), memory.slotBytes(), memory.inputBytes(),
        memory.paramBytes());
    return plan;
  }

  @Override
  public LaunchPlan currentPlan() {
    return plan == null ? plan() : plan;
  }

  @Override
  public void launch(String node, String variant) {
    if (plan == null) {
      throw new IllegalStateException("plan() the session before launching nodes");
    }
    JavaNode state = nodesByName.get(node);
    if (state == null && fusedInto.containsKey(node)) {
      throw new IllegalArgumentException("node '" + node + "' was fused into the launch of '" + fusedInto.get(node)
          + "', which computes it: launch '" + fusedInto.get(node) + "' (or compile with --no-fuse to launch every node alone)");
    }
    if (state == null) {
      throw new IllegalArgumentException("the model has no node '" + node + "'");
    }
    launch(state, variant);
  }

  private void launch(JavaNode state, String variant) {
    state.launch(variant, symbols, memory, profiling ? launched : null);
    memory.written(state.writtenSlots, state.writtenValues);
  }

  @Override
  public void run() {
    currentPlan();
    launched.clear();
    for (JavaNode state : nodes) {
      launch(state, state.planned);
    }
  }

  /** Launches run on the caller's thread (and the pool's) and are done when they return. */
  @Override
  public void finish() {}

  @Override
  public JavaSession poisonBuffers(boolean enabled) {
    this.poison = enabled;
    return this;
  }

  @Override
  public JavaSession keepEveryValue(boolean enabled) {
    this.keepEveryValue = enabled;
    this.plan = null;
    return this;
  }

  @Override
  public JavaSession profile(boolean enabled) {
    this.profiling = enabled;
    return this;
  }

  @Override
  public List<LaunchTiming> timings() {
    return List.copyOf(launched);
  }

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

  @Override
  public Tensor read(String value) {
    return read(value, null);
  }

  private Tensor read(String value, Tensor reuse) {
    if (plan == null) {
      throw new IllegalStateException("plan() and launch before reading '" + value + "'");
    }
    if (computedInside.containsKey(value)) {
      throw new IllegalArgumentException("'" + value + "' is computed inside the fused launch of '"
          + computedInside.get(value) + "' and never stored (no buffer holds it); compile with --no-fuse to read it");
    }
    if (!memory.buffered(value)) {
      Tensor host = hostValues.get(value);
      if (host == null) {
        throw new OclcException("'" + value + "' has not been computed yet (its shape is the data's: launch its node first)");
      }
      return host;
    }
    memory.requireHeld(value);
    Operand operand = memory.operand(value, symbols);
    return TensorCopies.toTensor(operand, reuse);
  }

  @Override
  public Tensor get(String name) {
    Tensor t = hostValues.get(name);
    if (t == null) {
      throw new OclcException("'" + name + "' has not been computed yet: launch the node that makes it first");
    }
    return t;
  }

  @Override
  public void put(String name, Tensor value) {
    hostValues.put(name, value);
  }

  @Override
  public void close() {
    pool.close();
  }
}
