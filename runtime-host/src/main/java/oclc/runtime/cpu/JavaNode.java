package oclc.runtime.cpu;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import oclc.artifact.Manifest.Argument;
import oclc.artifact.Manifest.BufferSpec;
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
    boolean admitted;
    boolean stale = true;

    VariantKernels(Variant variant, JavaExecutable executable, WorkerPool pool, HostValues host) {
      this.variant = variant;
      this.kernels = variant.dispatches().stream()
          .map(d -> JavaKernels.create(executable.kernel(d.kernel()), pool, host)).toArray(CpuKernel[]::new);
    }

    void bind(SymbolBindings symbols, JavaMemory memory) {
      for (int i = 0; i < kernels.length; i++) {
        Dispatch d = variant.dispatches().get(i);
        List<Operand> operands = new ArrayList<>();
        List<Long> scalars = new ArrayList<>();
        for (Argument a : d.arguments()) {
          switch (a) {
            case Argument.Buffer b -> operands.add(memory.operand(b.buffer(), symbols));
            case Argument.Int n -> scalars.add(n.value().evaluate(symbols));
            case Argument.Long n -> scalars.add(n.value().evaluate(symbols));
            case Argument.Float f -> scalars.add((long) Float.floatToRawIntBits(f.value()));
          }
        }
        kernels[i].bind(operands.toArray(Operand[]::new), scalars.stream().mapToLong(Long::longValue).toArray());
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

  JavaNode(int index, NodeLaunches node, JavaExecutable executable, WorkerPool pool, HostValues host,
      Map<String, BufferSpec> buffers) {
    this.index = index;
    this.node = node;
    for (Variant v : node.variants()) {
      variants.put(v.name(), new VariantKernels(v, executable, pool, host));
    }
    this.reuse = PlanReuse.of(node, buffers);
  }

  /**
   * Plans this node for {@code symbols}: the first variant that admits them, its kernels bound.
   * When the symbols this node depends on and the arrays its operands live in are as at its last
   * plan (most nodes of a decode step: only the past's length changed), that plan stands.
   */
  PlannedLaunch plan(SymbolBindings symbols, JavaMemory memory) {
    if (lastPlan != null && reuse.isPresent() && reuse.get().stands(symbols, memory.epoch())) {
      return lastPlan;
    }
    lastPlan = planAnew(symbols, memory);
    reuse.ifPresent(r -> r.planned(symbols, memory.epoch()));
    return lastPlan;
  }

  private PlannedLaunch planAnew(SymbolBindings symbols, JavaMemory memory) {
    planned = null;
    empty = node.outputs().stream().filter(o -> !o.isEmpty()).allMatch(o -> memory.buffered(o)
        && memory.operand(o, symbols).elementCount() == 0) && node.outputs().stream().anyMatch(o -> !o.isEmpty());
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
        shapes.put(output, java.util.Arrays.stream(memory.operand(output, symbols).shape()).boxed().toList());
      }
    }
    JavaMemory.Written written = memory.writtenBy(node.outputs());
    writtenSlots = written.slots();
    writtenValues = written.values();
    VariantKernels chosen = variants.get(planned);
    List<PlannedDispatch> dispatches = new ArrayList<>();
    for (int i = 0; i < chosen.kernels.length; i++) {
      Dispatch d = chosen.variant.dispatches().get(i);
      List<String> buffers = d.arguments().stream().filter(a -> a instanceof Argument.Buffer)
          .map(a -> ((Argument.Buffer) a).buffer()).toList();
      long work = chosen.kernels[i].work();
      dispatches.add(new PlannedDispatch(d.kernel(), buffers, List.of(work), List.of(), work == 0 || empty));
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
