package oclc.runtime;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import oclc.artifact.Manifest.NodeLaunches;
import oclc.artifact.Manifest.Variant;
import oclc.ir.exec.InputShapeException;
import oclc.ir.exec.SymbolBindings;
import oclc.runtime.LaunchPlan.PlannedLaunch;

/** One node's variants, with a kernel object per dispatch whose arguments are set at plan time. */
final class NodeState {
  final int index;
  final NodeLaunches node;
  final Map<String, VariantState> variants = new LinkedHashMap<>();
  String planned;
  /** Every output is empty at the planned sizes: a launch enqueues nothing. */
  boolean empty;
  /** The slots this node's outputs live in and the values they then hold, found at plan time for the launch. */
  int[] writtenSlots = new int[0];
  String[] writtenValues = new String[0];
  /** When this node's last plan still stands (empty: made anew at every plan). */
  private final java.util.Optional<PlanReuse> reuse;
  private PlannedLaunch lastPlan;

  NodeState(int index, NodeLaunches node, Executable executable) {
    this.index = index;
    this.node = node;
    for (Variant v : node.variants()) {
      variants.put(v.name(), new VariantState(v, executable, node.name()));
    }
    this.reuse = executable.planDependencies(index).map(PlanReuse::of);
  }

  /**
   * Plans this node for {@code symbols}: the first variant that admits them, its arguments set.
   * When the symbols this node depends on and the memory its arguments name are as at its last plan
   * (most nodes of a decode step: only the past's length changed), that plan stands as it was.
   */
  PlannedLaunch plan(SymbolBindings symbols, DeviceBuffers memory) {
    if (lastPlan != null && reuse.isPresent() && reuse.get().stands(symbols, memory.epoch())) {
      return lastPlan;
    }
    lastPlan = planAnew(symbols, memory);
    reuse.ifPresent(r -> r.planned(symbols, memory.epoch()));
    return lastPlan;
  }

  private PlannedLaunch planAnew(SymbolBindings symbols, DeviceBuffers memory) {
    planned = null;
    empty = producesNothing(symbols, memory);
    List<String> admitted = new ArrayList<>();
    for (VariantState v : variants.values()) {
      v.admitted = v.variant.admits(symbols);
      v.stale = true;
      if (v.admitted) {
        admitted.add(v.variant.name());
        if (planned == null) {
          planned = v.variant.name();
          v.setArguments(symbols, memory, node.name());
        }
      }
    }
    if (planned == null && empty) {
      VariantState first = variants.values().iterator().next(); // any variant computes nothing
      first.admitted = true;
      first.setArguments(symbols, memory, node.name());
      planned = first.variant.name();
      admitted.add(planned);
    }
    if (planned == null) {
      throw new InputShapeException("node '" + node.name() + "' (" + node.opType() + ") has no variant for "
          + symbols + ": " + variants.values().stream()
              .map(v -> v.variant.name() + " needs " + v.variant.when()).toList());
    }
    Map<String, List<Long>> shapes = new LinkedHashMap<>();
    for (String output : node.outputs()) {
      if (!output.isEmpty()) {
        shapes.put(output, memory.shapeOf(output, symbols));
      }
    }
    DeviceBuffers.Written written = memory.writtenBy(node.outputs());
    writtenSlots = written.slots();
    writtenValues = written.values();
    VariantState chosen = variants.get(planned);
    return new PlannedLaunch(index, node.name(), node.opType(), planned, admitted, shapes, chosen.describe(),
        node.fused());
  }

  /** Whether every output is empty, so that any variant (and no enqueue at all) computes it. */
  private boolean producesNothing(SymbolBindings symbols, DeviceBuffers memory) {
    for (String output : node.outputs()) {
      if (!output.isEmpty() && !memory.holdsNothing(output, symbols)) {
        return false;
      }
    }
    return true;
  }

  void launch(String variant, OpenClContext device, List<LaunchTiming.Pending> timings, SymbolBindings symbols,
      DeviceBuffers memory) {
    VariantState v = variants.get(variant);
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
      v.setArguments(symbols, memory, node.name()); // a variant other than the planned one: its first launch
    }
    v.enqueue(device, timings, node);
  }

  void release() {
    variants.values().forEach(VariantState::release);
  }
}
