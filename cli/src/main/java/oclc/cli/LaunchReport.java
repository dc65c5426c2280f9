package oclc.cli;

import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import oclc.runtime.LaunchPlan;
import oclc.runtime.LaunchTiming;

/**
 * Tables of profiled launches: every dispatch ({@code --trace}) or time per node and per op ({@code
 * --profile}).
 */
final class LaunchReport {
  private LaunchReport() {}

  static void trace(PrintWriter out, LaunchPlan plan, List<LaunchTiming> timings) {
    out.printf(
        "%-4s %-36s %-12s %-18s %-26s %-16s %-10s %10s%n",
        "#", "node", "op", "variant", "output shape", "global", "local", "µs");
    Map<String, LaunchPlan.PlannedLaunch> launches = new java.util.HashMap<>();
    plan.forEach(l -> launches.put(l.node(), l));
    int i = 0;
    for (LaunchTiming t : timings) {
      LaunchPlan.PlannedLaunch launch = launches.get(t.node());
      String shape =
          launch.outputShapes().values().stream().findFirst().map(Object::toString).orElse("");
      String local =
          launch.dispatches().stream()
              .filter(d -> d.kernel().equals(t.kernel()))
              .findFirst()
              .map(d -> d.localSize().isEmpty() ? "-" : d.localSize().toString())
              .orElse("-");
      out.printf(
          "%-4d %-36s %-12s %-18s %-26s %-16s %-10s %10.1f%n",
          i++,
          clip(t.node(), 36),
          t.opType(),
          t.variant(),
          shape,
          t.globalSize(),
          local,
          t.nanoseconds() / 1e3);
      if (!launch.fused().isEmpty()) {
        out.printf("     fused: %s%n", String.join(", ", launch.fused()));
      }
    }
  }

  static void profile(PrintWriter out, List<LaunchTiming> timings) {
    Map<String, long[]> byNode = new LinkedHashMap<>(); // node → {nanoseconds, dispatches}
    Map<String, String> labels = new LinkedHashMap<>();
    Map<String, long[]> byOp = new LinkedHashMap<>();
    long total = 0;
    for (LaunchTiming t : timings) {
      byNode.computeIfAbsent(t.node(), n -> new long[2])[0] += t.nanoseconds();
      byNode.get(t.node())[1]++;
      labels.put(t.node(), t.opType() + " " + t.variant());
      byOp.computeIfAbsent(t.opType(), n -> new long[2])[0] += t.nanoseconds();
      byOp.get(t.opType())[1]++;
      total += t.nanoseconds();
    }
    out.printf("%-40s %-30s %10s %7s%n", "node", "op variant", "µs", "share");
    for (var e : byNode.entrySet()) {
      out.printf(
          "%-40s %-30s %10.1f %6.1f%%%n",
          clip(e.getKey(), 40),
          labels.get(e.getKey()),
          e.getValue()[0] / 1e3,
          100.0 * e.getValue()[0] / Math.max(1, total));
    }
    out.println();
    out.printf("%-16s %9s %10s %7s%n", "op", "launches", "µs", "share");
    for (var e : byOp.entrySet()) {
      out.printf(
          "%-16s %9d %10.1f %6.1f%%%n",
          e.getKey(),
          e.getValue()[1],
          e.getValue()[0] / 1e3,
          100.0 * e.getValue()[0] / Math.max(1, total));
    }
    out.printf("device time: %.3f ms over %d kernel launches%n", total / 1e6, timings.size());
  }

  private static String clip(String s, int width) {
    return s.length() <= width ? s : "…" + s.substring(s.length() - width + 1);
  }
}
