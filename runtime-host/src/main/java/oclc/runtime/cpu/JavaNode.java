package oclc.runtime.cpu;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import oclc.artifact.Manifest.Argument;
import oclc.artifact.Manifest.Dispatch;
import oclc.artifact.Manifest.NodeLaunches;
import oclc.artifact.Manifest.Variant;
import oclc.codegen.cpu.kernels.CpuKernel;
import oclc.codegen.cpu.kernels.HostValues;
import oclc.codegen.cpu.kernels.JavaKernels;
import oclc.codegen.cpu.kernels.Operand;
import oclc.codegen.cpu.linalg.WorkerPool;
import oclc.ir.exec.InputShapeException;
import oclc.ir.exec.SymbolBindings;
import oclc.runtime.LaunchPlan.PlannedDispatch;
import oclc.runtime.LaunchPlan.PlannedLaunch;
import oclc.runtime.LaunchTiming;
import oclc.runtime.PlanReuse;

/** One node's variants in a Java session, each dispatch a kernel object bound at plan time. */
final class JavaNode {
  /** A variant's kernels, admitted or not for the current plan, and whether they are bound to it. */
  static final class VariantKernels {
    final Variant variant;
    final CpuKernel[] kernels;
    /** Per dispatch: the buffers it names, in argument order (for the plan's report), and its scalar count. */
    final List<List<String>> buffers;
    private final int[] scalarCounts;
    boolean admitted;
    boolean stale = true;

    VariantKernels(Variant variant, JavaExecutable executable, WorkerPool pool, HostValues host) {
      this.variant = variant;
      this.kernels = variant.dispatches().stream()
          .map(d -> JavaKernels.create(executable.kernel(d.kernel()), pool, host)).toArray(CpuKernel[]::new);
      this.buffers = variant.dispatches().stream().map(d -> d.arguments().stream()
          .filter(a -> a instanceof Argument.Buffer).map(a -> ((Argument.Buffer) a).buffer()).toList()).toList();
      this.scalarCounts = variant.dispatches().stream()
          .mapToInt(d -> (int) d.arguments().stream().filter(a -> !(a instanceof Argument.Buffer)).count()).toArray();
    }

    void bind(SymbolBindings symbols, JavaMemory memory) {
      for (int i = 0; i < kernels.length; i++) {
        Dispatch d = variant.dispatches().get(i);
        Operand[] operands = new Operand[buffers.get(i).size()];
        long[] scalars = new long[scalarCounts[i]];
        int o = 0;
        int n = 0;
        for (Argument a : d.arguments()) {
          switch (a) {
            case Argument.Buffer b -> operands[o++] = memory.operand(b.buffer(), symbols);
            case Argument.Int v -> scalars[n++] = v.value().evaluate(symbols);
            case Argument.Long v -> scalars[n++] = v.value().evaluate(symbols);
            case Argument.Float f -> scalars[n++] = Float.floatToRawIntBits(f.value());
          }
        }
        kernels[i].bind(operands, scalars);
      }
      stale = false;
    }
  }

  final int index;
  final NodeLaunches node;
  final Map<String, VariantKernels> variants = new LinkedHashMap<>();
  String planned;
  boolean empty;
  int[] writtenSlots = new int[0];
  String[] writtenValues = new String[0];

  /** When this node's last plan still stands (empty: some operand is held on the host, bound anew every plan). */
  private final Optional<PlanReuse> reuse;
  private PlannedLaunch lastPlan;
  /** The memory epoch {@link #writtenSlots} were found for (they change only with the assignment of slots). */
  private long writtenEpoch = -1;

  JavaNode(int index, NodeLaunches node, JavaExecutable executable, WorkerPool pool, HostValues host) {
    this.index = index;
    this.node = node;
    for (Variant v : node.variants()) {
      variants.put(v.name(), new VariantKernels(v, executable, pool, host));
    }
    this.reuse = executable.planDependencies(index).map(PlanReuse::of);
  }

  /**
   * Plans this node for {@code symbols}: the first variant that admits them, its kernels bound.
   * When the symbols this node depends on and the arrays its operands live in are as at its last
   * plan (most nodes of a decode step: only the past's length changed), that plan stands.
   */
  PlannedLaunch plan(SymbolBindings symbols, JavaMemory memory) {
    PlanReuse last = reuse.orElse(null);
    if (lastPlan != null && last != null && last.stands(symbols, memory.epoch())) {
      return lastPlan;
    }
    lastPlan = planAnew(symbols, memory);
    if (last != null) {
      last.planned(symbols, memory.epoch());
    }
    return lastPlan;
  }

  private PlannedLaunch planAnew(SymbolBindings symbols, JavaMemory memory) {
    planned = null;
    boolean anyOutput = false;
    boolean allEmpty = true;
    for (String o : node.outputs()) {
      if (!o.isEmpty()) {
        anyOutput = true;
        allEmpty &= memory.buffered(o) && memory.operand(o, symbols).elementCount() == 0;
      }
    }
    empty = anyOutput && allEmpty;
    List<String> admitted = new ArrayList<>();
    for (VariantKernels v : variants.values()) {
      v.admitted = v.variant.admits(symbols) || empty;
      v.stale = true;
      if (v.admitted) {
        admitted.add(v.variant.name());
        if (planned == null) {
          planned = v.variant.name();
          v.bind(symbols, memory);
        }
      }
    }
    if (planned == null) {
      throw new InputShapeException("node '" + node.name() + "' (" + node.opType() + ") has no variant for "
          + symbols + ": " + variants.values().stream().map(v -> v.variant.name() + " needs " + v.variant.when()).toList());
    }
    Map<String, List<Long>> shapes = new LinkedHashMap<>();
    for (String output : node.outputs()) {
      if (!output.isEmpty() && memory.buffered(output)) {
        long[] shape = memory.operand(output, symbols).shape();
        Long[] boxed = new Long[shape.length];
        for (int a = 0; a < shape.length; a++) {
          boxed[a] = shape[a];
        }
        shapes.put(output, List.of(boxed));
      }
    }
    if (writtenEpoch != memory.epoch()) {
      JavaMemory.Written written = memory.writtenBy(node.outputs());
      writtenSlots = written.slots();
      writtenValues = written.values();
      writtenEpoch = memory.epoch();
    }
    VariantKernels chosen = variants.get(planned);
    List<PlannedDispatch> dispatches = new ArrayList<>(chosen.kernels.length);
    for (int i = 0; i < chosen.kernels.length; i++) {
      Dispatch d = chosen.variant.dispatches().get(i);
      long work = chosen.kernels[i].work();
      dispatches.add(new PlannedDispatch(d.kernel(), chosen.buffers.get(i), List.of(work), List.of(), work == 0 || empty));
    }
    return new PlannedLaunch(index, node.name(), node.opType(), planned, admitted, shapes, dispatches, node.fused());
  }

  void launch(String variant, SymbolBindings symbols, JavaMemory memory, List<LaunchTiming> timings) {
    VariantKernels v = variants.get(variant);
    if (v == null) {
      throw new IllegalArgumentException("node '" + node.name() + "' has no variant '" + variant + "'; its variants are "
          + variants.keySet());
    }
    if (!v.admitted) {
      throw new IllegalArgumentException("variant '" + variant + "' of node '" + node.name()
          + "' does not admit the bound shapes (it needs " + v.variant.when() + ")");
    }
    if (empty) {
      return;
    }
    if (v.stale) {
      v.bind(symbols, memory); // a variant other than the planned one: its first launch
    }
    for (int i = 0; i < v.kernels.length; i++) {
      long start = timings == null ? 0 : System.nanoTime();
      v.kernels[i].run();
      if (timings != null) {
        timings.add(new LaunchTiming(node.name(), node.opType(), variant, v.variant.dispatches().get(i).kernel(),
            List.of(v.kernels[i].work()), System.nanoTime() - start));
      }
    }
  }
}
