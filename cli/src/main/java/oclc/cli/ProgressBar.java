package oclc.cli;

import java.io.PrintWriter;
import oclc.compiler.Progress;

/**
 * A progress bar on standard error: redrawn in place on a terminal; elsewhere (logs, CI) one line
 * per quarter, so that a long compile still shows it is moving.
 */
final class ProgressBar implements Progress {
  private static final int WIDTH = 30;

  private final PrintWriter err;
  private final String label;
  private final boolean terminal;
  private final long startNanos = System.nanoTime();
  private int total;
  private int done;
  private int lastQuarter = -1;

  ProgressBar(PrintWriter err, String label) {
    this.err = err;
    this.label = label;
    var console = System.console();
    this.terminal = console != null && console.isTerminal();
  }

  @Override
  public synchronized void start(int total) {
    this.total = total;
    draw();
  }

  @Override
  public synchronized void step(String what) {
    done++;
    draw();
  }

  /** Ends the bar's line where it stopped short of its total (a budget ran out). */
  @Override
  public synchronized void end() {
    if (terminal && done < total) {
      err.println();
      err.flush();
    }
  }

  private void draw() {
    int filled = total == 0 ? WIDTH : done * WIDTH / total;
    String line =
        String.format(
            "%s [%s%s] %d/%d  %.1f s",
            label,
            "#".repeat(filled),
            "-".repeat(WIDTH - filled),
            done,
            total,
            (System.nanoTime() - startNanos) / 1e9);
    if (terminal) {
      err.print("\r" + line + (done == total ? "\n" : ""));
    } else {
      int quarter = total == 0 ? 4 : done * 4 / total;
      if (quarter != lastQuarter) {
        err.println(line);
        lastQuarter = quarter;
      }
    }
    err.flush();
  }
}
