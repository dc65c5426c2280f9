package oclc.cli;

import java.util.List;
import java.util.Locale;
import oclc.compiler.trace.Trace;
import oclc.compiler.trace.TraceEvent;

/**
 * The profile page's timeline: a trace's complete events as bars, one row per track (steps, host
 * phases, device launches), on one time axis, each bar's tooltip its name and length.
 */
final class TraceTimeline {
  private static final int LEFT = 120;
  private static final int WIDTH = 900;
  private static final int ROW = 18;
  private static final String[] COLORS = {"#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f"};

  private TraceTimeline() {}

  static String svg(List<TraceEvent> events) {
    List<TraceEvent> complete = events.stream().filter(e -> e.phase().equals("X")).toList();
    double first = complete.stream().mapToDouble(TraceEvent::timestampMicros).min().orElse(0);
    double last =
        complete.stream()
            .mapToDouble(e -> e.timestampMicros() + e.durationMicros())
            .max()
            .orElse(1);
    double span = Math.max(1e-3, last - first);
    int[] tracks = {Trace.STEP_TRACK, Trace.HOST_TRACK, Trace.DEVICE_TRACK};
    String[] labels = {"steps", "host", "device"};
    StringBuilder svg = new StringBuilder();
    int height = ROW * tracks.length + 30;
    svg.append(
        String.format(
            Locale.ROOT,
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\""
                + " font-family=\"sans-serif\" font-size=\"11\">%n",
            LEFT + WIDTH + 10,
            height));
    for (int row = 0; row < tracks.length; row++) {
      int y = 5 + row * ROW;
      svg.append(
          String.format(Locale.ROOT, "<text x=\"4\" y=\"%d\">%s</text>%n", y + 12, labels[row]));
      int index = 0;
      for (TraceEvent e : complete) {
        if (e.threadId() != tracks[row]) {
          continue;
        }
        double x = LEFT + (e.timestampMicros() - first) * WIDTH / span;
        double w = Math.max(0.5, e.durationMicros() * WIDTH / span);
        svg.append(
            String.format(
                Locale.ROOT,
                "<rect x=\"%.2f\" y=\"%d\" width=\"%.2f\" height=\"%d\" fill=\"%s\">"
                    + "<title>%s (%s): %.1f µs</title></rect>%n",
                x,
                y,
                w,
                ROW - 4,
                COLORS[index++ % COLORS.length],
                escape(e.name()),
                escape(e.category()),
                e.durationMicros()));
      }
    }
    svg.append(
        String.format(
            Locale.ROOT,
            "<text x=\"%d\" y=\"%d\">0 ms</text><text x=\"%d\" y=\"%d\" text-anchor=\"end\">"
                + "%.3f ms</text>%n",
            LEFT,
            height - 6,
            LEFT + WIDTH,
            height - 6,
            span / 1e3));
    return svg.append("</svg>").toString();
  }

  private static String escape(String text) {
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
  }
}
