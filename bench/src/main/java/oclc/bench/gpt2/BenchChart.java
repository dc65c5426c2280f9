package oclc.bench.gpt2;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import oclc.templates.KernelTemplates;

/**
 * The report as an SVG bar chart: per figure, one bar per oclc engine whose length is its time over
 * ONNX Runtime's (1.0 = parity, shorter = faster), with issue 22's target for that figure marked.
 */
final class BenchChart {
  private static final int LABEL_WIDTH = 190;
  private static final int PLOT_WIDTH = 560;
  private static final int TOP = 72;
  private static final int BAR = 16;
  private static final int GAP = 10;
  private static final String[] COLORS = {"#4e79a7", "#59a14f", "#f28e2b", "#b07aa1"};

  private BenchChart() {}

  public record Row(
      String label,
      long labelX,
      long labelY,
      long x,
      long y,
      long barWidth,
      long barHeight,
      String color,
      String tooltip,
      String value,
      long valueX,
      long valueY) {}

  public record Target(long x, long top, long bottom, String label) {}

  public record Tick(long x, long labelY, String label) {}

  public record Legend(long x, long y, long textX, long textY, String color, String label) {}

  static String svg(Gpt2Report report) {
    List<Gpt2Report.Figure> figures =
        report.figures().stream()
            .filter(
                f ->
                    report.contenders().stream()
                        .anyMatch(e -> !Double.isNaN(f.ratio(e, report.baseline()))))
            .toList();
    double largest = 1.5;
    for (Gpt2Report.Figure f : figures) {
      for (String e : report.contenders()) {
        double ratio = f.ratio(e, report.baseline());
        if (!Double.isNaN(ratio)) {
          largest = Math.max(largest, ratio);
        }
      }
    }
    double scale = Math.ceil(largest * 2) / 2; // the axis ends at the next half
    long left = LABEL_WIDTH;
    List<Row> rows = new ArrayList<>();
    List<Target> targets = new ArrayList<>();
    long y = TOP;
    for (Gpt2Report.Figure f : figures) {
      boolean first = true;
      long groupTop = y;
      for (int i = 0; i < report.contenders().size(); i++) {
        String engine = report.contenders().get(i);
        double ratio = f.ratio(engine, report.baseline());
        if (Double.isNaN(ratio)) {
          continue;
        }
        long width = Math.max(1, Math.round(ratio / scale * PLOT_WIDTH));
        String tooltip =
            String.format(
                Locale.ROOT,
                "%s, %s: %.3g %s against %.3g %s (%s)",
                engine,
                f.name(),
                f.byEngine().get(engine).median(),
                f.unit(),
                f.byEngine().get(report.baseline()).median(),
                f.unit(),
                report.baseline());
        rows.add(
            new Row(
                first ? f.name() : null,
                left - 8,
                groupTop + BAR - 3,
                left,
                y,
                width,
                BAR,
                COLORS[i % COLORS.length],
                tooltip,
                String.format(Locale.ROOT, "%.2f×", ratio),
                left + width + 4,
                y + BAR - 4));
        first = false;
        y += BAR + 2;
      }
      if (f.target() != null && y > groupTop) {
        targets.add(
            new Target(
                left + Math.round(f.target() / scale * PLOT_WIDTH),
                groupTop - 2,
                y,
                String.format(
                    Locale.ROOT,
                    "target for %s%s: at most %.2f× %s",
                    f.name(),
                    f.targetEngines().isEmpty()
                        ? ""
                        : " (" + String.join(", ", f.targetEngines()) + ")",
                    f.target(),
                    report.baseline())));
      }
      y += GAP;
    }
    long plotBottom = y;
    List<Tick> ticks = new ArrayList<>();
    for (double t = 0; t <= scale + 1e-9; t += 0.5) {
      ticks.add(
          new Tick(
              left + Math.round(t / scale * PLOT_WIDTH),
              plotBottom + 14,
              String.format(Locale.ROOT, "%.1f×", t)));
    }
    List<Legend> legend = new ArrayList<>();
    long legendY = plotBottom + 28;
    for (int i = 0; i < report.contenders().size(); i++) {
      legend.add(
          new Legend(
              left,
              legendY,
              left + 18,
              legendY + 10,
              COLORS[i % COLORS.length],
              report.contenders().get(i) + " time / " + report.baseline() + " time"));
      legendY += 16;
    }
    legend.add(new Legend(left, legendY, left + 18, legendY + 10, "#d62728", "target (dashed)"));
    legendY += 16;
    return KernelTemplates.render(
        "benchchart",
        "chart",
        Map.ofEntries(
            Map.entry("title", escape("oclc against " + report.baseline() + ": " + report.model())),
            Map.entry(
                "subtitle",
                escape(
                    "time ratio per figure, median of the repeats; 1.0× = parity, shorter is faster")),
            Map.entry("machine", escape("machine: " + report.ceilings().describe())),
            Map.entry("width", left + PLOT_WIDTH + 80),
            Map.entry("height", legendY + 10),
            Map.entry("plotLeft", left),
            Map.entry("plotTop", TOP - 4),
            Map.entry("plotBottom", plotBottom),
            Map.entry("parityX", left + Math.round(1 / scale * PLOT_WIDTH)),
            Map.entry("rows", rows),
            Map.entry("targets", targets),
            Map.entry("ticks", ticks),
            Map.entry("legend", legend)));
  }

  private static String escape(String text) {
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
  }
}
