package oclc.bench.gpt2;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import oclc.bench.MedianRatio;
import oclc.bench.gpt2.Gpt2Report.Agreement;
import oclc.bench.gpt2.Gpt2Report.Stat;

/**
 * The rows of one weight format (fp16, int8, int4): the engines that ran its file, the oclc ones
 * first, then ONNX Runtime on the same file (accuracy_level 0 first, the comparison of record for
 * tokens, then 4); the weight bytes a decode step reads from that file; issue 17's targets for the
 * oclc engines (against ORT fp32, against ORT on the same file, and the fraction of the byte
 * floor); and whether the engines on the file chose the same tokens.
 */
public record FormatRows(
    String format,
    List<String> oclcEngines,
    List<String> ortEngines,
    ModelFacts facts,
    Map<Integer, Agreement> agreements,
    Map<Integer, Agreement> levelFourAgreements) {
  public FormatRows {
    oclcEngines = List.copyOf(oclcEngines);
    ortEngines = List.copyOf(ortEngines);
    agreements = Map.copyOf(agreements);
    levelFourAgreements = Map.copyOf(levelFourAgreements);
  }

  /** At least this fraction of the byte floor, for int8 and int4. */
  public static final double FLOOR_TARGET = 0.70;

  /** Decode against ORT's fp32 ms/token: the target for this format's oclc engines, or null. */
  public Double targetAgainstFp32() {
    return switch (format) {
      case "int8" -> 0.40;
      case "int4" -> 0.30;
      default -> null;
    };
  }

  /** Decode against ORT on the same MatMulNBits file, or null. */
  public Double targetAgainstSameFile() {
    return format.equals("int4") ? 0.80 : null;
  }

  public Double floorTarget() {
    return format.equals("int8") || format.equals("int4") ? FLOOR_TARGET : null;
  }

  public List<String> engines() {
    List<String> all = new ArrayList<>(oclcEngines);
    all.addAll(ortEngines);
    return all;
  }

  /** The decode floor: this file's weight bytes per token over {@code readGbps}. */
  public double decodeFloorMillis(double readGbps) {
    return facts.decodeFloorMillis(readGbps);
  }

  /**
   * The rows: per prompt length a prefill and a decode row per engine, each with its ratio and
   * interval against ORT fp32 and against every ORT on the same file, the decode floor and the
   * fraction of it, and the targets met or missed (the whole interval under the bound).
   */
  List<String> table(Gpt2Report report) {
    String fp32 = report.baseline();
    double floor = decodeFloorMillis(report.ceilings().readFloorGbps());
    List<String> lines = new ArrayList<>();
    lines.add(
        String.format(
            Locale.ROOT,
            "%s weights: a decode step reads %.2f MB (%s): floor %s",
            format,
            facts.matmulWeightBytes() / 1e6,
            format.equals("fp16")
                ? "the matrix products' float16 weights"
                : "the packed weights, scales and zero points of the file's matrix products; one"
                    + " row of each quantized embedding",
            Double.isNaN(floor)
                ? "left out (the bandwidth's methods disagree)"
                : String.format(Locale.ROOT, "%.3f ms/token", floor)));
    StringBuilder header =
        new StringBuilder("| " + format + " figure | engine | median [min..max] | /" + fp32 + " |");
    StringBuilder rule = new StringBuilder("|---|---|---|---|");
    for (String ort : ortEngines) {
      header.append(" /").append(ort).append(" |");
      rule.append("---|");
    }
    header.append(" at floor |");
    rule.append("---|");
    lines.add(header.toString());
    lines.add(rule.toString());
    for (boolean decode : report.decodeSteps() > 0 ? List.of(false, true) : List.of(false)) {
      for (int length : report.lengths()) {
        for (String engine : engines()) {
          lines.add(row(report, engine, length, decode, floor));
        }
      }
    }
    lines.add("");
    if (targetAgainstFp32() != null && report.decodeSteps() > 0) {
      for (String engine : oclcEngines) {
        for (int length : report.lengths()) {
          lines.add(
              String.format(
                  Locale.ROOT,
                  "%s decode at %d: issue 17's targets (≤ %.2f × %s%s, ≥ %.0f%% of the floor) %s",
                  engine,
                  length,
                  targetAgainstFp32(),
                  report.baseline(),
                  targetAgainstSameFile() == null
                      ? ""
                      : String.format(
                          Locale.ROOT,
                          ", ≤ %.2f × %s",
                          targetAgainstSameFile(),
                          String.join(" and ", ortEngines)),
                  100 * floorTarget(),
                  met(report, engine, length) ? "met" : "not met"));
        }
      }
    }
    for (var e : agreements.entrySet().stream().sorted(Map.Entry.comparingByKey()).toList()) {
      Agreement a = e.getValue();
      lines.add(
          String.format(
              Locale.ROOT,
              "%s prompt %d: greedy tokens %s %s; logits within relative L2 %.1e of it",
              format,
              e.getKey(),
              a.sameTokens()
                  ? "of every oclc engine and repeat the same as"
                  : "of an oclc engine DIFFER, first at step " + a.firstDifference() + ", from",
              ortEngines.getFirst(),
              a.maxRelativeL2()));
    }
    for (var e :
        levelFourAgreements.entrySet().stream().sorted(Map.Entry.comparingByKey()).toList()) {
      Agreement a = e.getValue();
      lines.add(
          String.format(
              Locale.ROOT,
              "%s prompt %d: %s (int8 arithmetic) against %s: greedy tokens %s; logits within "
                  + "relative L2 %.1e",
              format,
              e.getKey(),
              ortEngines.get(1),
              ortEngines.getFirst(),
              a.sameTokens() ? "the same" : "DIFFER, first at step " + a.firstDifference(),
              a.maxRelativeL2()));
    }
    return lines;
  }

  private String row(Gpt2Report report, String engine, int length, boolean decode, double floor) {
    boolean oclc = oclcEngines.contains(engine);
    Stat ours = stat(report, engine, length, decode);
    StringBuilder row =
        new StringBuilder(
            String.format(
                Locale.ROOT,
                "| %s %d %s | %s | %s |",
                decode ? "decode at" : "prefill",
                length,
                decode ? "ms/token" : "ms",
                engine,
                ours.format("%.2f")));
    row.append(
        ratio(
            ours,
            stat(report, report.baseline(), length, decode),
            oclc && decode ? targetAgainstFp32() : null));
    for (String ort : ortEngines) {
      row.append(
          ort.equals(engine)
              ? " — |"
              : ratio(
                  ours,
                  stat(report, ort, length, decode),
                  oclc && decode ? targetAgainstSameFile() : null));
    }
    if (!decode || Double.isNaN(floor)) {
      row.append(" — |");
    } else {
      double fraction = floor / ours.median();
      Double bound = oclc ? floorTarget() : null;
      row.append(
          String.format(
              Locale.ROOT,
              " %.0f%%%s |",
              100 * fraction,
              bound == null
                  ? ""
                  : String.format(
                      Locale.ROOT,
                      " (≥ %.0f%% %s)",
                      100 * bound,
                      fraction >= bound ? "met" : "missed")));
    }
    return row.toString();
  }

  private static Stat stat(Gpt2Report report, String engine, int length, boolean decode) {
    Gpt2Report.Series s = report.find(engine, length);
    return decode ? s.decodeMillisPerToken() : s.prefillMillis();
  }

  /** " r [lo..hi] (≤ t met|missed) |": met only when the whole interval is at or under it. */
  private static String ratio(Stat ours, Stat theirs, Double target) {
    MedianRatio r = MedianRatio.of(ours.samples(), theirs.samples());
    String text = String.format(Locale.ROOT, " %.2f [%.2f..%.2f]", r.ratio(), r.low(), r.high());
    if (target != null) {
      text +=
          String.format(Locale.ROOT, " (≤ %.2f %s)", target, r.within(target) ? "met" : "missed");
    }
    return text + " |";
  }

  /**
   * Whether the oclc {@code engine} meets the format's decode targets at {@code length} against ORT
   * fp32 and every ORT on the same file (the whole intervals under them) and its floor target; null
   * where the format sets no target.
   */
  public Boolean met(Gpt2Report report, String engine, int length) {
    if (targetAgainstFp32() == null) {
      return null;
    }
    Stat ours = stat(report, engine, length, true);
    boolean met =
        MedianRatio.of(ours.samples(), stat(report, report.baseline(), length, true).samples())
            .within(targetAgainstFp32());
    if (targetAgainstSameFile() != null) {
      for (String ort : ortEngines) {
        met &=
            MedianRatio.of(ours.samples(), stat(report, ort, length, true).samples())
                .within(targetAgainstSameFile());
      }
    }
    double floor = decodeFloorMillis(report.ceilings().readFloorGbps());
    return met && !Double.isNaN(floor) && floor / ours.median() >= floorTarget();
  }
}
