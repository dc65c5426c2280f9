package oclc.runtime;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import oclc.artifact.Manifest;
import oclc.artifact.Manifest.Argument;
import oclc.artifact.Manifest.BufferSpec;
import oclc.artifact.Manifest.NodeLaunches;
import oclc.artifact.Manifest.Variant;
import oclc.ir.exec.SymbolBindings;

/**
 * When a node's last plan still stands: the symbols any of its conditions, arguments, work sizes or
 * buffers' shapes and layouts mention, and the memory epoch, as they were at that plan. A decode
 * step changes only the past's length, so most nodes keep their plan (both backends' sessions).
 */
public final class PlanReuse {
  private final String[] symbols;
  private final long[] planned;
  private long plannedEpoch = -1;
  private boolean valid;

  private PlanReuse(List<String> symbols) {
    this.symbols = symbols.toArray(String[]::new);
    this.planned = new long[this.symbols.length];
  }

  /**
   * The symbols a node's plan depends on. They follow from the manifest alone, so a compiled model
   * works them out once for all its sessions (and a warm start while its kernels load).
   */
  public record Dependencies(List<String> symbols) {
    public Dependencies {
      symbols = List.copyOf(symbols);
    }
  }

  /** A record of a node's plans, none made yet. */
  public static PlanReuse of(Dependencies dependencies) {
    return new PlanReuse(dependencies.symbols());
  }

  /**
   * What each node's plan depends on, in the manifest's order, for a compiled model to work out
   * once (both backends' executables do, for all their sessions).
   */
  public static List<java.util.Optional<Dependencies>> dependenciesOfNodes(Manifest manifest) {
    Map<String, BufferSpec> buffers = new java.util.HashMap<>();
    manifest.buffers().forEach(b -> buffers.put(b.name(), b));
    List<java.util.Optional<Dependencies>> dependencies = new java.util.ArrayList<>();
    for (NodeLaunches node : manifest.nodes()) {
      dependencies.add(dependenciesOf(node, buffers));
    }
    return List.copyOf(dependencies);
  }

  /**
   * What the plan of {@code node}, whose buffers are among {@code buffers}, depends on; empty when
   * some buffer it names is not there (a value held on the host, whose plan is made at every step).
   */
  private static java.util.Optional<Dependencies> dependenciesOf(
      NodeLaunches node, Map<String, BufferSpec> buffers) {
    Set<String> symbols = new TreeSet<>();
    List<String> named =
        new java.util.ArrayList<>(node.outputs().stream().filter(o -> !o.isEmpty()).toList());
    for (Variant v : node.variants()) {
      v.when().forEach(c -> symbols.addAll(c.dim().symbols()));
      for (Manifest.Dispatch d : v.dispatches()) {
        d.globalSize().forEach(s -> symbols.addAll(s.symbols()));
        d.localSize().forEach(s -> symbols.addAll(s.symbols()));
        for (Argument a : d.arguments()) {
          switch (a) {
            case Argument.Buffer b -> named.add(b.buffer());
            case Argument.Int i -> symbols.addAll(i.value().symbols());
            case Argument.Long l -> symbols.addAll(l.value().symbols());
            case Argument.Float f -> {}
          }
        }
      }
    }
    for (String name : named) {
      for (BufferSpec spec = buffers.get(name); ; spec = buffers.get(spec.viewOf())) {
        if (spec == null) {
          return java.util.Optional.empty();
        }
        addAll(symbols, spec.shape());
        if (spec.storage() != null) {
          addAll(symbols, spec.storage());
        }
        if (spec.viewOf() == null) {
          break;
        }
      }
    }
    return java.util.Optional.of(new Dependencies(List.copyOf(symbols)));
  }

  private static void addAll(Set<String> symbols, Collection<oclc.ir.Dim> dims) {
    dims.forEach(d -> symbols.addAll(d.symbols()));
  }

  /** Whether the last plan stands for these symbols and this memory epoch. */
  public boolean stands(SymbolBindings bindings, long epoch) {
    if (!valid || epoch != plannedEpoch) {
      return false;
    }
    for (int s = 0; s < symbols.length; s++) {
      if (bindings.applyAsLong(symbols[s]) != planned[s]) {
        return false;
      }
    }
    return true;
  }

  /** Notes a plan made for these symbols and this memory epoch. */
  public void planned(SymbolBindings bindings, long epoch) {
    for (int s = 0; s < symbols.length; s++) {
      planned[s] = bindings.applyAsLong(symbols[s]);
    }
    plannedEpoch = epoch;
    valid = true;
  }
}
