package oclc.bench.gpt2;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import oclc.bench.MedianRatio;
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
    List<String> notes,
    List<FormatRows> formats) {

  public Gpt2Report {
    engines = List.copyOf(engines);
    series = List.copyOf(series);
    agreements = Map.copyOf(agreements);
    notes = List.copyOf(notes);
    formats = List.copyOf(formats);
  }

  /** A report of the weights as exported alone (no --weights). */
  public Gpt2Report(
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
    this(
        model,
        decodeSteps,
        warmup,
        engines,
        series,
        agreements,
        ceilings,
        facts,
        startup,
        notes,
        List.of());
  }

  /** Median and spread of some repeats, and the repeats themselves (for a ratio's interval). */
  public record Stat(double median, double min, double max, int count, List<Double> values) {
    public Stat {
      values = List.copyOf(values);
    }

    public static Stat of(double[] values) {
      double[] sorted = values.clone();
      Arrays.sort(sorted);
      int n = sorted.length;
      return new Stat(
          MedianRatio.median(sorted),
          sorted[0],
          sorted[n - 1],
          n,
          Arrays.stream(values).boxed().toList());
    }

    double[] samples() {
      return values.stream().mapToDouble(Double::doubleValue).toArray();
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
   * figure), the floor the machine allows (null where none is defined, NaN where the ceiling's two
   * methods disagree) and the ratio to the baseline that issue 22 sets as a target (null where
   * none) for the engines {@code targetEngines} names (empty: every oclc engine).
   */
  public record Figure(
      String name,
      String unit,
      Map<String, Stat> byEngine,
      Double floor,
      Double target,
      List<String> targetEngines) {
    public Figure {
      byEngine = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(byEngine));
      targetEngines = List.copyOf(targetEngines);
    }

    Figure(String name, String unit, Map<String, Stat> byEngine, Double floor, Double target) {
      this(name, unit, byEngine, floor, target, List.of());
    }

    /** An engine's median over the baseline's; NaN when either lacks the figure. */
    public double ratio(String engine, String baseline) {
      Stat ours = byEngine.get(engine);
      Stat theirs = byEngine.get(baseline);
      return ours == null || theirs == null ? Double.NaN : ours.median() / theirs.median();
    }

    /**
     * An engine's median over the baseline's with its bootstrap interval; null when either lacks
     * it.
     */
    public MedianRatio interval(String engine, String baseline) {
      Stat ours = byEngine.get(engine);
      Stat theirs = byEngine.get(baseline);
      return ours == null || theirs == null
          ? null
          : MedianRatio.of(ours.samples(), theirs.samples());
    }

    /** The target that holds for {@code engine}; null where none does. */
    public Double targetFor(String engine) {
      return target != null && (targetEngines.isEmpty() || targetEngines.contains(engine))
          ? target
          : null;
    }

    /**
     * Whether {@code engine} meets this figure's target against {@code baseline}: the whole
     * interval of its ratio at or under it. Null where no target holds or a time is missing.
     */
    public Boolean met(String engine, String baseline) {
      Double bound = targetFor(engine);
      MedianRatio ratio = interval(engine, baseline);
      return bound == null || ratio == null ? null : ratio.within(bound);
    }
  }

  /** Issue 22's targets (GPT-2 small fp32, each backend on its own, against ORT). */
  public static final double DECODE_TARGET = 0.90;

  /** Prefill of {@link #PREFILL_TARGET_FROM} tokens or more: at most this. */
  public static final double PREFILL_TARGET = 0.85;

  public static final int PREFILL_TARGET_FROM = 128;

  /** OpenCL's warm start against ORT's from its saved optimized model. */
  public static final double WARM_START_TARGET = 0.2;

  /** The startup's key of ORT's warm start from the optimized model it saved. */
  public static final String ORT_OPTIMIZED = "ORT optimized";

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
              facts.prefillFloorMillis(length, ceilings.fmaFloorGflops()),
              length >= PREFILL_TARGET_FROM ? PREFILL_TARGET : null));
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
                facts.decodeFloorMillis(ceilings.readFloorGbps()),
                DECODE_TARGET));
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
      Map<String, Stat> fromOnnx = new LinkedHashMap<>();
      engines.stream()
          .filter(startup.warmStartSeconds()::containsKey)
          .forEach(e -> fromOnnx.put(e, startup.warmStartSeconds().get(e)));
      figures.add(
          new Figure("warm start to first token, ORT from the .onnx", "s", fromOnnx, null, null));
      Stat optimized = startup.warmStartSeconds().get(ORT_OPTIMIZED);
      if (optimized != null) {
        Map<String, Stat> fromSaved = new LinkedHashMap<>(fromOnnx);
        fromSaved.put(baseline(), optimized);
        figures.add(
            new Figure(
                "warm start to first token, ORT from its saved optimized model",
                "s",
                fromSaved,
                null,
                contenders().contains(OclcGpt2.OPENCL) ? WARM_START_TARGET : null,
                List.of(OclcGpt2.OPENCL)));
      }
    }
    return figures;
  }

  /**
   * Which of issue 22's targets each oclc backend meets on its own (no best-of over backends): a
   * table of target by backend, then each backend's count.
   */
  List<String> targetsPerBackend() {
    List<Figure> targeted =
        figures().stream()
            .filter(f -> contenders().stream().anyMatch(e -> f.targetFor(e) != null))
            .toList();
    List<String> lines = new ArrayList<>();
    if (targeted.isEmpty()) {
      return lines;
    }
    StringBuilder header = new StringBuilder("| target (each backend on its own) |");
    StringBuilder rule = new StringBuilder("|---|");
    for (String e : contenders()) {
      header.append(' ').append(e).append(" |");
      rule.append("---|");
    }
    lines.add(header.toString());
    lines.add(rule.toString());
    Map<String, int[]> counts = new LinkedHashMap<>();
    contenders().forEach(e -> counts.put(e, new int[2]));
    for (Figure f : targeted) {
      StringBuilder row = new StringBuilder("| " + f.name() + " |");
      for (String e : contenders()) {
        Boolean met = f.met(e, baseline());
        MedianRatio ratio = f.interval(e, baseline());
        if (met == null) {
          row.append(" — |");
          continue;
        }
        counts.get(e)[0] += met ? 1 : 0;
        counts.get(e)[1]++;
        row.append(
            String.format(
                Locale.ROOT,
                " %s: ≤ %.2f, %.2f [%.2f..%.2f] |",
                met ? "met" : "missed",
                f.targetFor(e),
                ratio.ratio(),
                ratio.low(),
                ratio.high()));
      }
      lines.add(row.toString());
    }
    lines.add("");
    counts.forEach(
        (e, c) ->
            lines.add(
                String.format(
                    Locale.ROOT, "%s meets %d of the %d targets that hold for it", e, c[0], c[1])));
    return lines;
  }

  /** The results as a Markdown table, with the conditions and the engines' agreement below it. */
  public String table() {
    List<String> lines = new ArrayList<>();
    lines.add(
        String.format(
            Locale.ROOT,
            "model: %s; %d decode steps after each prompt; %d warm-up, %d repeats, the engines "
                + "alternating (order rotated each repeat): median [min..max]; ratios: of medians "
                + "[bootstrap %.0f%% interval, %d resamples, seeded]; a target is met only when the "
                + "whole interval is at or under it",
            model,
            decodeSteps,
            warmup,
            series.getFirst().runs().size(),
            100 * MedianRatio.LEVEL,
            MedianRatio.RESAMPLES));
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
    header.append(" floor |");
    rule.append("---|");
    for (String e : contenders()) {
      header.append(' ').append(e).append(" at floor |");
      rule.append("---|");
    }
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
        MedianRatio ratio = f.interval(e, baseline());
        row.append(' ')
            .append(
                ratio == null
                    ? "—"
                    : String.format(
                        Locale.ROOT,
                        "%.2f [%.2f..%.2f]",
                        ratio.ratio(),
                        ratio.low(),
                        ratio.high()));
        Boolean met = f.met(e, baseline());
        if (met != null) {
          row.append(
              String.format(Locale.ROOT, " (≤ %.2f %s)", f.targetFor(e), met ? "met" : "missed"));
        }
        row.append(" |");
      }
      if (f.floor() == null) {
        row.append(" — |").append(" — |".repeat(contenders().size()));
      } else if (Double.isNaN(f.floor())) {
        row.append(" left out: the ceiling's methods disagree |")
            .append(" — |".repeat(contenders().size()));
      } else {
        row.append(String.format(Locale.ROOT, " %.1f |", f.floor()));
        for (String e : contenders()) {
          Stat s = f.byEngine().get(e);
          row.append(
              s == null
                  ? " — |"
                  : String.format(Locale.ROOT, " %.0f%% |", 100 * f.floor() / s.median()));
        }
      }
      lines.add(row.toString());
    }
    lines.add("");
    lines.addAll(targetsPerBackend());
    lines.add("");
    for (FormatRows format : formats) {
      lines.addAll(format.table(this));
      lines.add("");
    }
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
