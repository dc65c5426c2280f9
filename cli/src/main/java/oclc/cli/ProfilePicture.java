package oclc.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import oclc.runtime.LaunchTiming;
import oclc.templates.KernelTemplates;

/**
 * {@code --profile-svg}: the launches of one run on a time axis (each bar a kernel, from its node's
 * start to its end, one row per node) and the device time per op type, as an SVG.
 */
final class ProfilePicture {
  private static final int LEFT = 10;
  private static final int TOP = 40;
  private static final int ROW = 4;
  private static final int PLOT_WIDTH = 900;
  private static final String[] PALETTE = {
    "#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948", "#b07aa1", "#ff9da7",
    "#9c755f", "#bab0ac", "#1f77b4", "#2ca02c"
  };

  private ProfilePicture() {}

  public record Bar(long x, long y, long width, long height, String color, String tooltip) {}

  public record Legend(long x, long y, long textX, long textY, String color, String label) {}

  public record Tick(long x, long bottom, long labelY, String label) {}

  static String svg(String title, List<LaunchTiming> timings) {
    long total = Math.max(1, timings.stream().mapToLong(LaunchTiming::nanoseconds).sum());
    Map<String, String> colors = new LinkedHashMap<>();
    Map<String, Long> perOp = new LinkedHashMap<>();
    List<Bar> bars = new ArrayList<>();
    long start = 0;
    int row = 0;
    for (LaunchTiming t : timings) {
      String color =
          colors.computeIfAbsent(t.opType(), op -> PALETTE[colors.size() % PALETTE.length]);
      perOp.merge(t.opType(), t.nanoseconds(), Long::sum);
      long x = LEFT + start * PLOT_WIDTH / total;
      long width = Math.max(1, t.nanoseconds() * PLOT_WIDTH / total);
      bars.add(
          new Bar(
              x,
              TOP + (long) row * ROW,
              width,
              ROW - 1,
              color,
              String.format(
                  "%s (%s, %s): %.1f µs",
                  t.node(), t.opType(), t.variant(), t.nanoseconds() / 1e3)));
      start += t.nanoseconds();
      row++;
    }
    long plotBottom = TOP + (long) row * ROW;
    List<Tick> ticks = new ArrayList<>();
    for (int i = 0; i <= 4; i++) {
      ticks.add(
          new Tick(
              LEFT + (long) i * PLOT_WIDTH / 4,
              plotBottom,
              plotBottom + 14,
              String.format("%.2f ms", total * i / 4 / 1e6)));
    }
    List<Legend> legend = new ArrayList<>();
    long y = plotBottom + 30;
    for (var e : perOp.entrySet()) {
      legend.add(
          new Legend(
              LEFT,
              y,
              LEFT + 18,
              y + 10,
              colors.get(e.getKey()),
              String.format(
                  "%s  %.1f µs  (%.1f%%)",
                  e.getKey(), e.getValue() / 1e3, 100.0 * e.getValue() / total)));
      y += 16;
    }
    return KernelTemplates.render(
        "profile",
        "timeline",
        Map.of(
            "title",
            escape(title),
            "width",
            LEFT * 2 + PLOT_WIDTH,
            "height",
            y + 10,
            "bars",
            bars,
            "legend",
            legend,
            "ticks",
            ticks));
  }

  private static String escape(String text) {
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
  }
}
