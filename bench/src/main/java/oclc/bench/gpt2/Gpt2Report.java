package oclc.bench.gpt2;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import oclc.bench.gpt2.Gpt2Engine.HostSplit;
import oclc.bench.gpt2.Gpt2Engine.Run;
import oclc.bench.machine.MachineCeilings;
import oclc.ir.Tensor;
import oclc.ir.exec.Comparison;

/**
 * The end-to-end comparison: per engine and prompt length the prefill and the decode time per token
 * over the repeats (median, min, max), the start-up figures, each as a ratio to the baseline (the
 * last engine: ONNX Runtime) and to what the machine allows (the floor: weights over memory
 * bandwidth for decode, FLOPs over the FMA peak for prefill), and whether the engines did the same
 * work (the same greedy tokens; logits that agree).
 */
public record Gpt2Report(
    String model,
    int decodeSteps,
    int warmup,
    List<String> engines,
    List<Series> series,
    Map<Integer, Agreement> agreements,
    MachineCeilings ceilings,
    ModelFacts facts,
    Startup startup,
    List<String> notes) {

  public Gpt2Report {
    engines = List.copyOf(engines);
    series = List.copyOf(series);
    agreements = Map.copyOf(agreements);
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
      return String.format(
          Locale.ROOT, number + " [" + number + ".." + number + "]", median, min, max);
    }
  }

  /**
   * One engine's repeats at one prompt length: the prefill of that many tokens, then the decode
   * steps after it.
   */
  public record Series(
      String engine,
      int length,
      Stat prefillMillis,
      Stat decodeMillisPerToken,
      HostSplit medianSplit,
      List<Run> runs) {
    public static Series of(String engine, int length, List<Run> runs) {
      double[] prefill = runs.stream().mapToDouble(Run::prefillMillis).toArray();
      double[] decode = runs.stream().mapToDouble(Run::decodeMillisPerToken).toArray();
      HostSplit split = null;
      if (runs.stream().allMatch(r -> r.decodeSplit() != null)) {
        split =
            new HostSplit(
                Stat.of(runs.stream().mapToDouble(r -> r.decodeSplit().planMillis()).toArray())
                    .median(),
                Stat.of(runs.stream().mapToDouble(r -> r.decodeSplit().enqueueMillis()).toArray())
                    .median(),
                Stat.of(runs.stream().mapToDouble(r -> r.decodeSplit().waitMillis()).toArray())
                    .median(),
                Stat.of(runs.stream().mapToDouble(r -> r.decodeSplit().readMillis()).toArray())
                    .median());
      }
      return new Series(
          engine, length, Stat.of(prefill), Stat.of(decode), split, List.copyOf(runs));
    }
  }

  /**
   * Cold compile (a fresh process, empty kernel caches: the model to a loadable artifact) per oclc
   * engine, and warm start (a fresh process: the cached artifact loaded, the first length's prompt
   * prefilled, the first token chosen) per engine, ORT's being session creation and its first
   * token. Seconds, process start to exit.
   */
  public record Startup(
      Map<String, Stat> coldCompileSeconds,
      Map<String, Stat> warmStartSeconds,
      List<String> notes) {
    public Startup {
      coldCompileSeconds = Map.copyOf(coldCompileSeconds);
      warmStartSeconds = Map.copyOf(warmStartSeconds);
      notes = List.copyOf(notes);
    }
  }

  /**
   * Whether every repeat gave the same greedy tokens on every engine, where an engine's tokens
   * first differ from the baseline's (-1: nowhere), and the largest relative L2 distance of a
   * step's logits from the baseline's over the steps whose inputs were the same.
   */
  public record Agreement(
      boolean sameTokens, int firstDifference, double maxRelativeL2, int comparedSteps) {
    /**
     * The engines' runs, baseline last; repeat i of each engine is compared with repeat i of the
     * baseline.
     */
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
            worst =
                Math.max(
                    worst,
                    Comparison.relativeL2(
                        Tensor.ofFloats(new long[] {b.length}, b),
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

  /**
   * One line of the results: each engine's median and spread (absent where an engine has no such
   * figure), the floor the machine allows (null where none is defined) and the ratio to the
   * baseline that the issue sets as a target (null where none).
   */
  public record Figure(
      String name, String unit, Map<String, Stat> byEngine, Double floor, Double target) {
    public Figure {
      byEngine = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(byEngine));
    }

    /** An engine's median over the baseline's; NaN when either lacks the figure. */
    public double ratio(String engine, String baseline) {
      Stat ours = byEngine.get(engine);
      Stat theirs = byEngine.get(baseline);
      return ours == null || theirs == null ? Double.NaN : ours.median() / theirs.median();
    }
  }

  public String baseline() {
    return engines.getLast();
  }

  /** The oclc engines: every engine but the baseline. */
  public List<String> contenders() {
    return engines.subList(0, engines.size() - 1);
  }

  public Series find(String engine, int length) {
    return series.stream()
        .filter(s -> s.engine().equals(engine) && s.length() == length)
        .findFirst()
        .orElseThrow(
            () -> new IllegalArgumentException("no series for " + engine + " at " + length));
  }

  public List<Integer> lengths() {
    return series.stream().map(Series::length).distinct().toList();
  }

  /** Every figure in the order of the table: prefills, decodes, then the start-up. */
  public List<Figure> figures() {
    List<Figure> figures = new ArrayList<>();
    for (int length : lengths()) {
      Map<String, Stat> byEngine = new LinkedHashMap<>();
      engines.forEach(e -> byEngine.put(e, find(e, length).prefillMillis()));
      figures.add(
          new Figure(
              "prefill " + length,
              "ms",
              byEngine,
              facts.prefillFloorMillis(length, ceilings.fmaGflops()),
              1.2));
    }
    if (decodeSteps > 0) {
      for (int length : lengths()) {
        Map<String, Stat> byEngine = new LinkedHashMap<>();
        engines.forEach(e -> byEngine.put(e, find(e, length).decodeMillisPerToken()));
        figures.add(
            new Figure(
                "decode at " + length,
                "ms/token",
                byEngine,
                facts.decodeFloorMillis(ceilings.readGbps()),
                1.0));
      }
    }
    if (startup != null) {
      if (!startup.coldCompileSeconds().isEmpty()) {
        Map<String, Stat> byEngine = new LinkedHashMap<>();
        engines.stream()
            .filter(startup.coldCompileSeconds()::containsKey)
            .forEach(e -> byEngine.put(e, startup.coldCompileSeconds().get(e)));
        figures.add(new Figure("cold compile", "s", byEngine, null, null));
      }
      Map<String, Stat> byEngine = new LinkedHashMap<>();
      engines.stream()
          .filter(startup.warmStartSeconds()::containsKey)
          .forEach(e -> byEngine.put(e, startup.warmStartSeconds().get(e)));
      figures.add(new Figure("warm start to first token", "s", byEngine, null, 0.2));
    }
    return figures;
  }

  /** The results as a Markdown table, with the conditions and the engines' agreement below it. */
  public String table() {
    List<String> lines = new ArrayList<>();
    lines.add(
        String.format(
            Locale.ROOT,
            "model: %s; %d decode steps after each prompt; %d warm-up, %d repeats: "
                + "median [min..max]",
            model,
            decodeSteps,
            warmup,
            series.getFirst().runs().size()));
    lines.add(
        "machine: "
            + ceilings.describe()
            + String.format(
                Locale.ROOT,
                "; the model's matrix products read " + "%.0f MB of weights",
                facts.matmulWeightBytes() / 1e6));
    lines.add("");
    StringBuilder header = new StringBuilder("| figure |");
    StringBuilder rule = new StringBuilder("|---|");
    for (String e : engines) {
      header.append(' ').append(e).append(" |");
      rule.append("---|");
    }
    for (String e : contenders()) {
      header.append(' ').append(e).append('/').append(baseline()).append(" (target) |");
      rule.append("---|");
    }
    header.append(" floor | best oclc at floor |");
    rule.append("---|---|");
    lines.add(header.toString());
    lines.add(rule.toString());
    for (Figure f : figures()) {
      StringBuilder row = new StringBuilder("| " + f.name() + " " + f.unit() + " |");
      for (String e : engines) {
        Stat s = f.byEngine().get(e);
        row.append(' ')
            .append(s == null ? "—" : s.format(f.unit().equals("s") ? "%.2f" : "%.1f"))
            .append(" |");
      }
      for (String e : contenders()) {
        double ratio = f.ratio(e, baseline());
        row.append(' ')
            .append(Double.isNaN(ratio) ? "—" : String.format(Locale.ROOT, "%.2f", ratio));
        if (f.target() != null && !Double.isNaN(ratio)) {
          row.append(
              String.format(
                  Locale.ROOT, " (≤ %.1f %s)", f.target(), ratio <= f.target() ? "met" : "missed"));
        }
        row.append(" |");
      }
      if (f.floor() != null) {
        double best =
            contenders().stream()
                .map(f.byEngine()::get)
                .filter(java.util.Objects::nonNull)
                .mapToDouble(Stat::median)
                .min()
                .orElse(Double.NaN);
        row.append(
            String.format(Locale.ROOT, " %.1f | %.0f%% |", f.floor(), 100 * f.floor() / best));
      } else {
        row.append(" — | — |");
      }
      lines.add(row.toString());
    }
    lines.add("");
    for (var e : agreements.entrySet().stream().sorted(Map.Entry.comparingByKey()).toList()) {
      Agreement a = e.getValue();
      lines.add(
          String.format(
              Locale.ROOT,
              "prompt %d: greedy tokens %s; logits within relative L2 %.1e of %s over %d "
                  + "steps%s",
              e.getKey(),
              a.sameTokens()
                  ? "the same on every engine and repeat"
                  : "DIFFER, first at step " + a.firstDifference(),
              a.maxRelativeL2(),
              baseline(),
              a.comparedSteps(),
              a.maxRelativeL2() <= 1e-4 ? "" : " (above 1e-4)"));
    }
    for (Series s : series) {
      HostSplit split = s.medianSplit();
      if (split != null && decodeSteps > 0) {
        lines.add(
            String.format(
                Locale.ROOT,
                "%s decode step at %d, median: plan %.3f ms, enqueue %.3f ms, wait %.3f ms, "
                    + "read logits %.3f ms",
                s.engine(),
                s.length(),
                split.planMillis(),
                split.enqueueMillis(),
                split.waitMillis(),
                split.readMillis()));
      }
    }
    if (startup != null) {
      lines.addAll(startup.notes());
    }
    lines.addAll(notes);
    return String.join(System.lineSeparator(), lines) + System.lineSeparator();
  }
}
