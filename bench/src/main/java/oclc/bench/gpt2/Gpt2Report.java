package oclc.bench.gpt2;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import oclc.bench.gpt2.Gpt2Engine.HostSplit;
import oclc.bench.gpt2.Gpt2Engine.Run;
import oclc.ir.Tensor;
import oclc.ir.exec.Comparison;

/**
 * The end-to-end comparison: per engine the prefill and the decode time per token over the
 * repeats (median, min, max), their ratios to the last engine (the baseline: ONNX Runtime), and
 * whether the engines did the same work (the same greedy tokens; logits that agree).
 */
public record Gpt2Report(String model, int promptLength, int decodeSteps, int warmup, List<EngineResult> engines,
    Agreement agreement, List<String> notes) {

  public Gpt2Report {
    engines = List.copyOf(engines);
    notes = List.copyOf(notes);
  }

  /** Median and spread of some repeats. */
  public record Stat(double median, double min, double max, int count) {
    public static Stat of(double[] values) {
      double[] sorted = values.clone();
      Arrays.sort(sorted);
      int n = sorted.length;
      double median = n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
      return new Stat(median, sorted[0], sorted[n - 1], n);
    }

    String format(String number) {
      return String.format(Locale.ROOT, number + " [" + number + ".." + number + "]", median, min, max);
    }
  }

  /** One engine's repeats. */
  public record EngineResult(String name, Stat prefillMillis, Stat decodeMillisPerToken, HostSplit medianSplit,
      List<Run> runs) {
    public static EngineResult of(String name, List<Run> runs) {
      double[] prefill = runs.stream().mapToDouble(Run::prefillMillis).toArray();
      double[] decode = runs.stream().mapToDouble(Run::decodeMillisPerToken).toArray();
      HostSplit split = null;
      if (runs.stream().allMatch(r -> r.decodeSplit() != null)) {
        split = new HostSplit(
            Stat.of(runs.stream().mapToDouble(r -> r.decodeSplit().planMillis()).toArray()).median(),
            Stat.of(runs.stream().mapToDouble(r -> r.decodeSplit().enqueueMillis()).toArray()).median(),
            Stat.of(runs.stream().mapToDouble(r -> r.decodeSplit().waitMillis()).toArray()).median(),
            Stat.of(runs.stream().mapToDouble(r -> r.decodeSplit().readMillis()).toArray()).median());
      }
      return new EngineResult(name, Stat.of(prefill), Stat.of(decode), split, List.copyOf(runs));
    }
  }

  /**
   * Whether every repeat gave the same greedy tokens on every engine, where the first engine's
   * tokens first differ from the baseline's (-1: nowhere), and the largest relative L2 distance of
   * a step's logits from the baseline's over the steps whose inputs were the same.
   */
  public record Agreement(boolean sameTokens, int firstDifference, double maxRelativeL2, int comparedSteps) {
    /** The engines' runs, baseline last; repeat i of each engine is compared with repeat i of the baseline. */
    public static Agreement of(List<List<Run>> runsByEngine) {
      List<Run> baseline = runsByEngine.getLast();
      boolean same = true;
      int first = -1;
      double worst = 0;
      int compared = 0;
      for (List<Run> runs : runsByEngine.subList(0, runsByEngine.size() - 1)) {
        for (int r = 0; r < runs.size(); r++) {
          Run ours = runs.get(r);
          Run theirs = baseline.get(r);
          for (int step = 0; step < ours.logits().size(); step++) {
            float[] a = ours.logits().get(step);
            float[] b = theirs.logits().get(step);
            worst = Math.max(worst, Comparison.relativeL2(Tensor.ofFloats(new long[] {b.length}, b),
                Tensor.ofFloats(new long[] {a.length}, a)));
            compared++;
            if (!ours.tokens().get(step).equals(theirs.tokens().get(step))) {
              same = false;
              first = first < 0 ? step : Math.min(first, step);
              break; // the next step's inputs differ
            }
          }
        }
      }
      return new Agreement(same, first, worst, compared);
    }
  }

  /** Each engine's median prefill over the baseline's (the last engine). */
  public double prefillRatio(String engine) {
    return find(engine).prefillMillis().median() / engines.getLast().prefillMillis().median();
  }

  /** Each engine's median decode time per token over the baseline's. */
  public double decodeRatio(String engine) {
    return find(engine).decodeMillisPerToken().median() / engines.getLast().decodeMillisPerToken().median();
  }

  public EngineResult find(String engine) {
    return engines.stream().filter(e -> e.name().equals(engine)).findFirst()
        .orElseThrow(() -> new IllegalArgumentException("no engine " + engine));
  }

  /** The report as the table {@code scripts/bench.sh} prints. */
  public String table() {
    EngineResult baseline = engines.getLast();
    int repeats = baseline.runs().size();
    List<String> lines = new ArrayList<>();
    lines.add(String.format(Locale.ROOT, "model: %s", model));
    lines.add(String.format(Locale.ROOT, "prompt %d random tokens, then %d greedy decode steps; %d warm-up, %d "
        + "repeats: median [min..max]", promptLength, decodeSteps, warmup, repeats));
    lines.add(String.format(Locale.ROOT, "%-10s %-28s %-28s", "", "prefill ms", "decode ms/token"));
    for (EngineResult e : engines) {
      lines.add(String.format(Locale.ROOT, "%-10s %-28s %-28s", e.name(), e.prefillMillis().format("%.2f"),
          e.decodeMillisPerToken().format("%.3f")));
    }
    for (EngineResult e : engines.subList(0, engines.size() - 1)) {
      lines.add(String.format(Locale.ROOT, "%-10s %-28s %-28s", e.name() + "/" + baseline.name(),
          String.format(Locale.ROOT, "%.2f", prefillRatio(e.name())),
          String.format(Locale.ROOT, "%.2f", decodeRatio(e.name()))));
    }
    lines.add(agreement.sameTokens()
        ? String.format(Locale.ROOT, "greedy tokens: the same on every engine and repeat (%d per run)",
            baseline.runs().getFirst().tokens().size())
        : String.format(Locale.ROOT, "greedy tokens: DIFFER, first at step %d", agreement.firstDifference()));
    lines.add(String.format(Locale.ROOT, "logits: relative L2 to %s at most %.1e over %d steps%s", baseline.name(),
        agreement.maxRelativeL2(), agreement.comparedSteps(), agreement.maxRelativeL2() <= 1e-4 ? "" : " (above 1e-4)"));
    for (EngineResult e : engines) {
      HostSplit s = e.medianSplit();
      if (s != null) {
        lines.add(String.format(Locale.ROOT, "%s decode step, median: plan %.3f ms, enqueue %.3f ms, wait %.3f ms, "
            + "read logits %.3f ms", e.name(), s.planMillis(), s.enqueueMillis(), s.waitMillis(), s.readMillis()));
      }
    }
    lines.addAll(notes);
    return String.join(System.lineSeparator(), lines) + System.lineSeparator();
  }
}
