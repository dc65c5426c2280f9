package oclc.compiler;

import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.ToLongFunction;
import oclc.artifact.Manifest.BufferSpec;
import oclc.artifact.Manifest.NodeLaunches;
import oclc.runtime.LaunchPlan.PlannedDispatch;
import oclc.runtime.LaunchPlan.PlannedLaunch;

/**
 * The bytes a planned launch reads and writes, for the profile's GB/s: every buffer its dispatches
 * name, once, at the planned sizes, so that a matmul counts its packed weights (which the node's
 * own inputs name by their ONNX names). Nodes that touch only part of a buffer count that part: a
 * Gather or Slice reads as much as it writes (not the whole table or tensor), and a KV-cache append
 * reads and writes the new rows only (not the cache it appends to).
 */
public final class NodeTraffic {
  private NodeTraffic() {}

  public static long bytes(
      PlannedLaunch launch,
      NodeLaunches node,
      Map<String, BufferSpec> buffers,
      ToLongFunction<String> symbols) {
    String output = node.outputs().isEmpty() ? "" : node.outputs().getFirst();
    return switch (node.opType()) {
      case "Gather" ->
          2 * bytesOf(output, buffers, symbols) + bytesOf(node.inputs().get(1), buffers, symbols);
      case "Slice" -> 2 * bytesOf(output, buffers, symbols);
      case "Concat" ->
          appendsInPlace(node, buffers, output)
              ? 2
                  * node.inputs().stream()
                      .filter(in -> !viewsOf(in, output, buffers))
                      .mapToLong(in -> bytesOf(in, buffers, symbols))
                      .sum()
              : named(launch, buffers, symbols);
      default -> named(launch, buffers, symbols);
    };
  }

  /** Every buffer the launch's enqueued dispatches name, each once. */
  private static long named(
      PlannedLaunch launch, Map<String, BufferSpec> buffers, ToLongFunction<String> symbols) {
    Set<String> names = new LinkedHashSet<>();
    for (PlannedDispatch dispatch : launch.dispatches()) {
      if (!dispatch.skipped()) {
        names.addAll(dispatch.buffers());
      }
    }
    return names.stream().mapToLong(name -> bytesOf(name, buffers, symbols)).sum();
  }

  /**
   * A Concat whose first input already lives in its output's memory: only the others are copied.
   */
  private static boolean appendsInPlace(
      NodeLaunches node, Map<String, BufferSpec> buffers, String output) {
    return !node.inputs().isEmpty() && viewsOf(node.inputs().getFirst(), output, buffers);
  }

  private static boolean viewsOf(String value, String target, Map<String, BufferSpec> buffers) {
    BufferSpec spec = buffers.get(value);
    return spec != null && target.equals(spec.viewOf());
  }

  private static long bytesOf(
      String name, Map<String, BufferSpec> buffers, ToLongFunction<String> symbols) {
    BufferSpec spec = name.isEmpty() ? null : buffers.get(name);
    return spec == null ? 0 : spec.bytes(symbols);
  }
}
