package oclc.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import oclc.artifact.Manifest;
import oclc.compiler.DeviceModel;
import oclc.compiler.NodeTraffic;
import oclc.compiler.generate.Generator;
import oclc.compiler.generate.Steppers;
import oclc.compiler.trace.Trace;
import oclc.ir.Dim;
import oclc.runtime.LaunchPlan;
import oclc.runtime.LaunchTiming;
import oclc.runtime.Session;
import oclc.templates.KernelTemplates;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code oclc profile}: a prefill of a random prompt and decode steps with the KV cache, every
 * launch timed on the device; tables per node and per op type (time, share, GFLOP/s, GB/s, variant)
 * and a page with the pictures.
 */
@Command(
    name = "profile",
    description =
        "Time every kernel launch of a prefill and of decode steps; tables per node and op, and an HTML page.")
final class ProfileCommand extends PrintingCommand {
  @Mixin ModelParameter.OnnxOrArtifact model;

  @Option(
      names = "--device",
      defaultValue = "cpu",
      description = "cpu (default), gpu, java or an OpenCL device name")
  String device;

  @Mixin DeviceModelOptions loading;

  @Mixin WeightsOption weights;

  @Option(
      names = "--prompt-len",
      defaultValue = "32",
      description = "the prompt's length in tokens (default 32)")
  int promptLength;

  @Option(
      names = "--decode",
      defaultValue = "16",
      description = "decode steps after the prefill (default 16)")
  int decodeSteps;

  @Option(
      names = "--html",
      paramLabel = "FILE",
      defaultValue = "profile.html",
      description = "the page to write")
  Path html;

  @Option(
      names = "--trace",
      paramLabel = "FILE",
      description =
          "also write the timed runs as Chrome trace-event JSON (ui.perfetto.dev, chrome://tracing)")
  Path trace;

  @Option(names = "--seed", defaultValue = "1", description = "the random prompt's seed")
  long seed;

  /** One node's time over a phase, with what it moves and computes. */
  private record NodeTime(
      String node, String opType, String variant, long nanoseconds, long bytes, long flops) {}

  @Override
  int run(PrintWriter out, PrintWriter err) throws IOException {
    try (DeviceModel loaded = loading.open(model.path, device, err, weights);
        Session session = loaded.executable().newSession().profile(true)) {
      Manifest manifest = loaded.executable().manifest();
      Random random = new Random(seed);
      long vocabulary = vocabulary(manifest);
      long[] prompt = random.longs(promptLength, 0, vocabulary).toArray();
      // Each phase runs once untimed first: drivers such as POCL compile a kernel's work-group
      // function for its local size at its first launch, which is not the kernel's time.
      Generator.Stepper warmUp = Steppers.forSession(manifest, session);
      warmUp.step(prompt);
      if (decodeSteps > 0) {
        warmUp.step(new long[] {prompt[0]});
      }
      Generator.Stepper stepper = Steppers.forSession(manifest, session);
      Trace timeline = new Trace(model.path.getFileName() + " on " + loaded.deviceName());
      stepper.step(prompt);
      List<LaunchTiming> prefillTimings = session.timings();
      timeline.addRun(
          "prefill", session.lastRun(), prefillTimings, session.currentPlan().symbols());
      List<NodeTime> prefill = perNode(prefillTimings, session.currentPlan(), manifest);
      Map<String, NodeTime> sums = new LinkedHashMap<>();
      for (int step = 0; step < decodeSteps; step++) {
        stepper.step(new long[] {random.nextLong(vocabulary)});
        List<LaunchTiming> timings = session.timings();
        timeline.addRun(
            "decode " + (step + 1), session.lastRun(), timings, session.currentPlan().symbols());
        for (NodeTime t : perNode(timings, session.currentPlan(), manifest)) {
          sums.merge(
              t.node(),
              t,
              (x, y) ->
                  new NodeTime(
                      x.node(),
                      x.opType(),
                      x.variant(),
                      x.nanoseconds() + y.nanoseconds(),
                      x.bytes() + y.bytes(),
                      x.flops() + y.flops()));
        }
      }
      List<NodeTime> decode =
          sums.values().stream()
              .map(
                  t ->
                      new NodeTime(
                          t.node(),
                          t.opType(),
                          t.variant(),
                          t.nanoseconds() / decodeSteps,
                          t.bytes() / decodeSteps,
                          t.flops() / decodeSteps))
              .toList();
      out.println("mode: " + stepper.mode());
      String device = loaded.deviceName();
      List<Map<String, Object>> sections = new ArrayList<>();
      print(out, "prefill of " + promptLength + " tokens", prefill);
      sections.add(section("prefill of " + promptLength + " tokens", prefill, asLaunches(prefill)));
      if (!decode.isEmpty()) {
        print(
            out,
            "decode step (mean of "
                + decodeSteps
                + ", the cache ending at "
                + (promptLength + decodeSteps)
                + ")",
            decode);
        sections.add(section("decode step, mean of " + decodeSteps, decode, asLaunches(decode)));
      }
      sections.add(timelineSection(timeline));
      if (trace != null) {
        timeline.write(trace);
        out.println("trace (ui.perfetto.dev, chrome://tracing): " + trace);
      }
      Files.writeString(
          html,
          KernelTemplates.render(
              "profile",
              "page",
              Map.of("title", escape(model.path + " on " + device), "sections", sections)));
      out.println("page with the pictures: " + html);
    }
    return 0;
  }

  /** A phase's per-node times as one launch each, for its picture (which draws no start times). */
  private static List<LaunchTiming> asLaunches(List<NodeTime> times) {
    return times.stream()
        .map(
            t ->
                new LaunchTiming(
                    t.node(), t.opType(), t.variant(), "", List.of(), 0, t.nanoseconds()))
        .toList();
  }

  private static long vocabulary(Manifest manifest) {
    List<Dim> logits = manifest.outputs().getFirst().shape();
    return logits.getLast().constantValue().orElse(1000L);
  }

  /**
   * Per node in launch order: its time, the bytes it moves ({@link NodeTraffic}), and a MatMul's or
   * Gemm's FLOPs.
   */
  private static List<NodeTime> perNode(
      List<LaunchTiming> timings, LaunchPlan plan, Manifest manifest) {
    Map<String, Manifest.BufferSpec> buffers = new LinkedHashMap<>();
    manifest.buffers().forEach(b -> buffers.put(b.name(), b));
    Map<String, Manifest.NodeLaunches> nodes = new LinkedHashMap<>();
    manifest.nodes().forEach(n -> nodes.put(n.name(), n));
    Map<String, Long> symbols = plan.symbols();
    Map<String, LaunchPlan.PlannedLaunch> launches = new LinkedHashMap<>();
    plan.forEach(launch -> launches.put(launch.node(), launch));
    Map<String, NodeTime> byNode = new LinkedHashMap<>();
    for (LaunchTiming t : timings) {
      NodeTime known = byNode.get(t.node());
      if (known != null) {
        byNode.put(
            t.node(),
            new NodeTime(
                known.node(),
                known.opType(),
                known.variant(),
                known.nanoseconds() + t.nanoseconds(),
                known.bytes(),
                known.flops()));
        continue;
      }
      Manifest.NodeLaunches node = nodes.get(t.node());
      long bytes = NodeTraffic.bytes(launches.get(t.node()), node, buffers, symbols::get);
      long flops = 0;
      if (node.opType().equals("MatMul") || node.opType().equals("Gemm")) {
        Manifest.BufferSpec a = buffers.get(node.inputs().get(0));
        Manifest.BufferSpec y = buffers.get(node.outputs().get(0));
        long k = a.shape().getLast().evaluate(symbols::get);
        flops = 2 * k * y.bytes(symbols::get) / y.dtype().byteSize();
      }
      byNode.put(
          t.node(), new NodeTime(t.node(), t.opType(), t.variant(), t.nanoseconds(), bytes, flops));
    }
    return new ArrayList<>(byNode.values());
  }

  private static void print(PrintWriter out, String heading, List<NodeTime> times) {
    long total = Math.max(1, times.stream().mapToLong(NodeTime::nanoseconds).sum());
    out.println(heading + ": " + String.format("%.3f ms of kernels", total / 1e6));
    out.printf(
        "  %-40s %-12s %-22s %10s %7s %9s %8s%n",
        "node", "op", "variant", "µs", "share", "GFLOP/s", "GB/s");
    for (NodeTime t : times) {
      out.printf(
          "  %-40s %-12s %-22s %10.1f %6.1f%% %9s %8.2f%n",
          clip(t.node()),
          t.opType(),
          t.variant(),
          t.nanoseconds() / 1e3,
          100.0 * t.nanoseconds() / total,
          t.flops() == 0 ? "-" : String.format("%.2f", t.flops() / (double) t.nanoseconds()),
          t.bytes() / (double) t.nanoseconds());
    }
    Map<String, long[]> byOp = new LinkedHashMap<>();
    times.forEach(
        t -> {
          long[] sum = byOp.computeIfAbsent(t.opType(), o -> new long[2]);
          sum[0] += t.nanoseconds();
          sum[1]++;
        });
    out.printf("  %-16s %6s %10s %7s%n", "op", "nodes", "µs", "share");
    byOp.forEach(
        (op, sum) ->
            out.printf(
                "  %-16s %6d %10.1f %6.1f%%%n", op, sum[1], sum[0] / 1e3, 100.0 * sum[0] / total));
    out.println();
  }

  private static Map<String, Object> section(
      String heading, List<NodeTime> times, List<LaunchTiming> launches) {
    long total = Math.max(1, times.stream().mapToLong(NodeTime::nanoseconds).sum());
    List<List<String>> rows = new ArrayList<>();
    for (NodeTime t : times) {
      rows.add(
          List.of(
              escape(t.node()),
              t.opType(),
              escape(t.variant()),
              String.format("%.1f", t.nanoseconds() / 1e3),
              String.format("%.1f%%", 100.0 * t.nanoseconds() / total),
              t.flops() == 0 ? "-" : String.format("%.2f", t.flops() / (double) t.nanoseconds()),
              String.format("%.2f", t.bytes() / (double) t.nanoseconds())));
    }
    String picture = ProfilePicture.svg(heading, launches).replaceFirst("(?s)^\\s*", "");
    return Map.of(
        "heading",
        escape(heading),
        "picture",
        picture,
        "columns",
        List.of("node", "op", "variant", "µs", "share", "GFLOP/s", "GB/s"),
        "rows",
        rows);
  }

  /** The trace's tracks as the page's timeline, the same events the trace file holds. */
  private static Map<String, Object> timelineSection(Trace timeline) {
    return Map.of(
        "heading",
        "timeline: steps, host phases and launches (as in the trace file)",
        "picture",
        TraceTimeline.svg(timeline.events()),
        "columns",
        List.of(),
        "rows",
        List.of());
  }

  private static String clip(String s) {
    return s.length() <= 40 ? s : "…" + s.substring(s.length() - 39);
  }

  private static String escape(String text) {
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
  }
}
