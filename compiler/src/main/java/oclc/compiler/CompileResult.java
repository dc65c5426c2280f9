package oclc.compiler;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import oclc.artifact.Artifact;
import oclc.artifact.Manifest;
import oclc.codegen.cpu.JavaLowering;
import oclc.lowering.SizeRanges;

/**
 * What {@link Compiler#compile} wrote, and the figures of its summary.
 *
 * @param model the model file compiled
 * @param artifact the artifact folder written
 * @param manifest the artifact's manifest
 * @param device the device's name, or {@code java (Vector API)}
 * @param scheduleOrigin where the schedule's choices come from (its {@code origin})
 * @param scheduleFile the schedule file given, or null for the defaults
 * @param kernelsBuilt kernels built for the device by this compile (0 on java)
 * @param kernelsCached kernels found in the kernel cache or the artifact (0 on java)
 * @param binaries where the device binaries were embedded, or null
 * @param seconds the time the compile took, in parts
 * @param startCache the JVM start cache's line (where it lies, how long it took), or null where
 *     none was trained
 */
public record CompileResult(
    Path model,
    Path artifact,
    Manifest manifest,
    String device,
    String scheduleOrigin,
    Path scheduleFile,
    long kernelsBuilt,
    long kernelsCached,
    Path binaries,
    Seconds seconds,
    String startCache) {

  /**
   * Wall time: in all, loading the model, lowering and writing the artifact, building kernels (0 on
   * java).
   */
  public record Seconds(double total, double load, double lower, double kernels) {}

  /** Whether the artifact is for the Java (Vector API) backend. */
  public boolean onJava() {
    return manifest.backend().equals(Manifest.JAVA);
  }

  /**
   * The summary {@code oclc compile} prints: one line each, the first naming model, artifact and
   * device.
   */
  public List<String> summary() {
    List<String> lines = new ArrayList<>();
    long views =
        manifest.nodes().stream()
            .filter(n -> n.variants().stream().allMatch(v -> v.dispatches().isEmpty()))
            .count();
    long paramBytes =
        manifest.buffers().stream()
            .filter(b -> b.kind() == Manifest.BufferKind.PARAM)
            .mapToLong(Manifest.BufferSpec::bytes)
            .sum();
    lines.add(String.format("compiled %s -> %s for %s", model, artifact, device));
    lines.add(String.format("  sizes: %s", sizes(manifest)));
    lines.add(String.format("  nodes: %d (%d views, no kernel)", manifest.nodes().size(), views));
    long fused = manifest.nodes().stream().mapToLong(n -> n.fused().size()).sum();
    lines.add(
        String.format(
            "  fusion: %s",
            manifest.fusion()
                ? "on (" + fused + " nodes fused into the launches of others)"
                : "off (every node launched alone)"));
    lines.add(
        String.format(
            "  variants: %d", manifest.nodes().stream().mapToInt(n -> n.variants().size()).sum()));
    if (onJava()) {
      int fallback = JavaLowering.fallbackNodes(manifest).size();
      lines.add(
          String.format(
              "  java kernels: %d (%d nodes on the reference fallback)",
              manifest.kernels().size(), fallback));
    }
    lines.add(String.format("  params: %.2f MiB in %s", paramBytes / 1048576.0, Artifact.PARAMS));
    if (onJava()) {
      lines.add(
          String.format(
              "  time: %.2f s (load %.2f s, lower and write %.2f s)",
              seconds.total(), seconds.load(), seconds.lower()));
      return lines;
    }
    lines.add(
        String.format(
            "  kernels: %d (%d built, %d cached)",
            manifest.kernels().size(), kernelsBuilt, kernelsCached));
    lines.add(
        String.format(
            "  schedule: %s%s",
            scheduleOrigin, scheduleFile == null ? "" : " (" + scheduleFile + ")"));
    if (binaries != null) {
      lines.add(String.format("  binaries embedded in %s", binaries));
    }
    lines.add(
        String.format(
            "  time: %.2f s (load %.2f s, lower and write %.2f s, kernels %.2f s)",
            seconds.total(), seconds.load(), seconds.lower(), seconds.kernels()));
    if (startCache != null) {
      lines.add("  " + startCache);
    }
    return lines;
  }

  /**
   * Each symbol's range and where it came from: {@code batch_size=1..1 (default),
   * total_sequence_length=1..4095 (unified: = past_sequence_length + sequence_length)}.
   */
  public static String sizes(Manifest manifest) {
    return String.join(
        ", ",
        manifest.symbols().stream()
            .map(
                r ->
                    oclc.ir.Dim.symbol(r.name())
                        + "="
                        + new SizeRanges.Interval(r.min(), r.max())
                        + (r.origin() == null
                            ? ""
                            : " ("
                                + r.origin()
                                + (r.origin().equals("unified")
                                    ? ": " + r.reason().replaceFirst(" \\(.*", "")
                                    : "")
                                + ")"))
            .toList());
  }

  /** The summary as one text, a line each. */
  @Override
  public String toString() {
    return String.join(String.format(Locale.ROOT, "%n"), summary());
  }
}
