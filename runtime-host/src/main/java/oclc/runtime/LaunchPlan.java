package oclc.runtime;

import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * What a session will launch for the bound inputs: the symbols' values, and per node the variant
 * chosen, the variants that also admit these shapes, the shapes, and each kernel enqueue with its
 * buffers and work sizes. Iterating it gives the launches in order.
 */
public record LaunchPlan(
    Map<String, Long> symbols,
    List<PlannedLaunch> launches,
    int slots,
    long slotBytes,
    long inputBytes,
    long paramBytes)
    implements Iterable<LaunchPlan.PlannedLaunch> {

  public LaunchPlan {
    symbols = Map.copyOf(symbols);
    launches = List.copyOf(launches);
  }

  /**
   * One node: launch it with {@code session.launch(node(), variant())}. A fused launch also
   * computes the {@code fused} nodes (compile --fuse); its output shapes are those of the values it
   * stores.
   */
  public record PlannedLaunch(
      int index,
      String node,
      String opType,
      String variant,
      List<String> admitted,
      Map<String, List<Long>> outputShapes,
      List<PlannedDispatch> dispatches,
      List<String> fused) {}

  /**
   * One kernel enqueue; {@code localSize} is empty when the driver chooses; skipped when some size
   * is 0.
   */
  public record PlannedDispatch(
      String kernel,
      List<String> buffers,
      List<Long> globalSize,
      List<Long> localSize,
      boolean skipped) {}

  @Override
  public Iterator<PlannedLaunch> iterator() {
    return launches.iterator();
  }

  public PlannedLaunch launch(String node) {
    return launches.stream()
        .filter(l -> l.node().equals(node))
        .findFirst()
        .orElseThrow(() -> new IllegalArgumentException("no node '" + node + "' in the plan"));
  }
}
