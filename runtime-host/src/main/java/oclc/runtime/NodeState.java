package oclc.runtime;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import oclc.artifact.Manifest.NodeLaunches;
import oclc.artifact.Manifest.Variant;
import oclc.ir.exec.InputShapeException;
import oclc.ir.exec.SymbolBindings;
import oclc.runtime.LaunchPlan.PlannedDispatch;
import oclc.runtime.LaunchPlan.PlannedLaunch;

/**
 * One node's variants in a session, each the backend's {@link BoundVariant}: which admit the
 * current plan's shapes, which are bound to it, which is planned, and where the launch writes.
 */
final class NodeState<B> {
  /**
   * A variant's kernels, admitted or not for the current plan, and whether they are bound to it.
   */
  static final class VariantState<B> {
    final Variant variant;
    final BoundVariant<B> kernels;
    boolean admitted;

    /** Whether the arguments are not yet set for the current plan. */
    boolean stale = true;

    VariantState(Variant variant, BoundVariant<B> kernels) {
      this.variant = variant;
      this.kernels = kernels;
    }
  }

  final int index;
  final NodeLaunches node;
  final Map<String, VariantState<B>> variants = new LinkedHashMap<>();
  private final MemoryPlanner<B> memory;
  String planned;

  /** Every output is empty at the planned sizes: a launch launches nothing. */
  private boolean empty;

  /**
   * The slots this node's outputs live in and the values they then hold, found at plan time for the
   * launch.
   */
  int[] writtenSlots = new int[0];

  String[] writtenValues = new String[0];

  /**
   * The memory epoch {@link #writtenSlots} were found for (they change only with the assignment of
   * slots).
   */
  private long writtenEpoch = -1;

  /**
   * When this node's last plan still stands (empty: some buffer is held on the host, planned anew
   * every plan).
   */
  private final Optional<PlanReuse> reuse;

  private PlannedLaunch lastPlan;

  NodeState(
      int index,
      NodeLaunches node,
      Backend<B> backend,
      MemoryPlanner<B> memory,
      Optional<PlanReuse.Dependencies> dependencies) {
    this.index = index;
    this.node = node;
    this.memory = memory;
    try {
      for (Variant v : node.variants()) {
        variants.put(v.name(), new VariantState<>(v, backend.variant(node, v)));
      }
    } catch (RuntimeException e) {
      release();
      throw e;
    }
    this.reuse = dependencies.map(PlanReuse::of);
  }

  /**
   * Plans this node for {@code symbols}: the first variant that admits them, its arguments bound.
   * When the symbols this node depends on and the memory its arguments name are as at its last plan
   * (most nodes of a decode step: only the past's length changed), that plan stands as it was.
   */
  PlannedLaunch plan(SymbolBindings symbols) {
    PlanReuse last = reuse.orElse(null);
    if (lastPlan != null && last != null && last.stands(symbols, memory.epoch())) {
      return lastPlan;
    }
    lastPlan = planAnew(symbols);
    if (last != null) {
      last.planned(symbols, memory.epoch());
    }
    return lastPlan;
  }

  private PlannedLaunch planAnew(SymbolBindings symbols) {
    planned = null;
    empty = producesNothing(symbols);
    List<String> admitted = new ArrayList<>();
    for (VariantState<B> v : variants.values()) {
      v.admitted = v.variant.admits(symbols);
      v.stale = true;
      if (v.admitted) {
        admitted.add(v.variant.name());
        if (planned == null) {
          planned = v.variant.name();
          bind(v, symbols);
        }
      }
    }
    if (planned == null && empty) {
      VariantState<B> first = variants.values().iterator().next(); // any variant computes nothing
      first.admitted = true;
      bind(first, symbols);
      planned = first.variant.name();
      admitted.add(planned);
    }
    if (planned == null) {
      throw new InputShapeException(
          "node '"
              + node.name()
              + "' ("
              + node.opType()
              + ") has no variant for "
              + symbols
              + ": "
              + variants.values().stream()
                  .map(v -> v.variant.name() + " needs " + v.variant.when())
                  .toList());
    }
    Map<String, List<Long>> shapes = new LinkedHashMap<>();
    for (String output : node.outputs()) {
      if (!output.isEmpty() && memory.buffered(output)) {
        shapes.put(output, memory.shapeOf(output, symbols));
      }
    }
    if (writtenEpoch != memory.epoch()) {
      MemoryPlanner.Written written = memory.writtenBy(node.outputs());
      writtenSlots = written.slots();
      writtenValues = written.values();
      writtenEpoch = memory.epoch();
    }
    return new PlannedLaunch(
        index,
        node.name(),
        node.opType(),
        planned,
        admitted,
        shapes,
        dispatches(variants.get(planned).kernels),
        node.fused());
  }

  /**
   * The planned variant's dispatches as bound; every one skipped when the node's outputs are empty.
   */
  private List<PlannedDispatch> dispatches(BoundVariant<B> kernels) {
    List<PlannedDispatch> bound = kernels.describe();
    return !empty
        ? bound
        : bound.stream()
            .map(
                d ->
                    new PlannedDispatch(
                        d.kernel(), d.buffers(), d.globalSize(), d.localSize(), true))
            .toList();
  }

  private void bind(VariantState<B> v, SymbolBindings symbols) {
    v.kernels.bind(symbols, memory);
    v.stale = false;
  }

  /**
   * Whether the node has outputs and every one is empty, so that any variant (and no launch at all)
   * computes it; a value held on the host has the data's shape, which no plan knows.
   */
  private boolean producesNothing(SymbolBindings symbols) {
    boolean anyOutput = false;
    for (String output : node.outputs()) {
      if (!output.isEmpty()) {
        if (!memory.buffered(output) || !memory.holdsNothing(output, symbols)) {
          return false;
        }
        anyOutput = true;
      }
    }
    return anyOutput;
  }

  /** The checks of a launch by its variant's name; the launch itself is the bound variant's. */
  void launch(String variant, SymbolBindings symbols, List<TimingRecord> timings) {
    VariantState<B> v = variants.get(variant);
    if (v == null) {
      throw new IllegalArgumentException(
          "node '"
              + node.name()
              + "' has no variant '"
              + variant
              + "'; its variants are "
              + variants.keySet());
    }
    if (!v.admitted) {
      throw new IllegalArgumentException(
          "variant '"
              + variant
              + "' of node '"
              + node.name()
              + "' does not admit the bound shapes (it needs "
              + v.variant.when()
              + ")");
    }
    if (empty) {
      return;
    }
    if (v.stale) {
      bind(v, symbols); // a variant other than the planned one: its first launch
    }
    v.kernels.launch(timings);
  }

  /**
   * Puts {@code source} in place of dispatch {@code dispatch}'s kernel (see {@link
   * Session#replaceKernel}).
   */
  void replace(String variant, int dispatch, String source, SymbolBindings symbols) {
    VariantState<B> v = variants.get(variant);
    if (v == null || dispatch < 0 || dispatch >= v.variant.dispatches().size()) {
      throw new IllegalArgumentException(
          "node '"
              + node.name()
              + "' has no dispatch "
              + dispatch
              + " of a variant '"
              + variant
              + "'; its variants are "
              + variants.keySet());
    }
    v.kernels.replace(dispatch, source);
    v.stale = true;
    if (variant.equals(planned) && symbols != null) {
      bind(v, symbols);
    }
  }

  void release() {
    variants.values().forEach(v -> v.kernels.release());
  }
}
