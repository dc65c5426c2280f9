package oclc.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import oclc.artifact.Folders;
import oclc.compiler.DeviceChoice;
import oclc.compiler.LoadedModel;
import oclc.compiler.ScheduleFiles;
import oclc.compiler.Specs;
import oclc.compiler.tune.ScheduleTuner;
import oclc.ir.OclcException;
import oclc.lowering.Schedule;
import oclc.lowering.SizeRanges;
import oclc.runtime.Devices;
import oclc.runtime.OpenClContext;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code oclc tune MODEL --device D --budget 10m}: measures candidate schedules per kernel family
 * and size class on the device ({@link ScheduleTuner}), writes the best into a schedule file that
 * {@code oclc compile --schedule} takes, and prints each class's gain over the defaults.
 */
@Command(
    name = "tune",
    description =
        "Measure candidate schedules per kernel family and size class on a device and write the best "
            + "into a schedule file for oclc compile --schedule.")
final class TuneCommand extends PrintingCommand {
  @Mixin ModelParameter.Onnx model;

  @Mixin DeviceOption.ToCompile device;

  @Option(
      names = "--budget",
      defaultValue = "5m",
      paramLabel = "TIME",
      description =
          "how long tuning may take in all, e.g. 30s, 10m, 1h (default: ${DEFAULT-VALUE})")
  String budget;

  @Option(
      names = "--out",
      paramLabel = "FILE.json",
      description = "the schedule file (default: NAME.schedule.json here)")
  Path out;

  @Option(
      names = "--from",
      paramLabel = "FILE.json",
      description =
          "the schedule to start from and compare with (default: the defaults for the device's type)")
  Path from;

  @Option(
      names = "--repeats",
      defaultValue = "5",
      description =
          "timed runs per candidate and size; the median counts " + "(default: ${DEFAULT-VALUE})")
  int repeats;

  @Mixin SizeOptions sizes;

  @Mixin CacheCommand.Location cacheLocation;

  @Override
  int run(PrintWriter stdout, PrintWriter err) throws IOException {
    long start = System.nanoTime();
    long budgetNanos = parseBudget(budget);
    if (repeats < 1) {
      throw new OclcException("--repeats " + repeats + ": give at least 1");
    }
    if (device.device.equals(DeviceChoice.JAVA)) {
      throw new OclcException(
          "tune measures kernels on an OpenCL device; the java backend's schedule is the CPU "
              + "defaults");
    }
    LoadedModel loaded = LoadedModel.load(model.path);
    Path file =
        out != null
            ? out
            : Path.of(
                Specs.defaultArtifactName(loaded.file()).replaceFirst("\\.oclc$", "")
                    + ".schedule.json");
    SizeRanges ranges =
        SizeRanges.forGraph(loaded.simplified(), sizes.dimRanges(), sizes.bucketCuts(), true);
    Path scratch = Files.createTempDirectory("oclc-tune");
    ScheduleTuner.Result result;
    String deviceName;
    try (OpenClContext context = OpenClContext.open(Devices.select(device.device))) {
      deviceName = context.info().name();
      Schedule base =
          from != null
              ? ScheduleFiles.read(from)
              : Schedule.defaults(ScheduleFiles.target(context.info()));
      result =
          new ScheduleTuner(
                  loaded.simplified(),
                  ranges,
                  base,
                  context,
                  cacheLocation.cache(),
                  scratch,
                  w -> err.println("warning: " + w),
                  repeats,
                  start + budgetNanos)
              .tune(new ProgressBar(err, "tuning"));
      String origin =
          result.measurements() == 0
              ? base.origin()
              : "tuned on "
                  + deviceName
                  + " for "
                  + loaded.file().getFileName()
                  + " (budget "
                  + budget
                  + ", from "
                  + base.origin()
                  + ")";
      Files.writeString(file, ScheduleFiles.json(result.schedule().withOrigin(origin)));
    } finally {
      Folders.deleteTree(scratch);
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    stdout.printf(
        "tuned %s on %s in %.1f s of a %s budget: %s; %d measurements%n",
        loaded.file(), deviceName, seconds, budget, result.ending(), result.measurements());
    if (result.measurements() == 0) {
      stdout.println("nothing measured: " + file + " holds the defaults unchanged");
    }
    stdout.print(table(result.outcomes()));
    stdout.printf(
        "schedule: %s (oclc compile %s --device %s --schedule %s)%n",
        file, model.path, device.device, file);
    return 0;
  }

  /**
   * One line per class: where it was measured, the default and best time, the gain and the choice.
   */
  static String table(List<ScheduleTuner.Outcome> outcomes) {
    StringBuilder s =
        new StringBuilder(
            String.format(
                "%-24s %-34s %6s %11s %11s %7s  %-14s %-14s %s%n",
                "class",
                "measured at",
                "nodes",
                "default µs",
                "best µs",
                "gain",
                "default",
                "chosen",
                "tried"));
    for (ScheduleTuner.Outcome o : outcomes) {
      String at =
          o.at().isEmpty()
              ? "-"
              : (o.dim().isEmpty() ? "" : o.dim() + " = ")
                  + String.join(", ", o.at().stream().map(String::valueOf).toList());
      s.append(
          String.format(
              Locale.ROOT,
              "%-24s %-34s %6d %11s %11s %7s  %-14s %-14s %s%n",
              o.label(),
              at,
              o.nodes(),
              micros(o.defaultNanos()),
              micros(o.bestNanos()),
              Double.isNaN(o.defaultNanos()) || Double.isNaN(o.bestNanos())
                  ? "-"
                  : String.format(Locale.ROOT, "%.2fx", o.gain()),
              o.defaultParameters(),
              o.chosenParameters(),
              o.candidates() == 0 ? "" : o.tried() + "/" + o.candidates()));
      if (!o.sizes().isEmpty()) {
        s.append("    at ")
            .append(String.join(" and ", o.sizes().stream().map(Object::toString).toList()));
        s.append(o.note().isEmpty() ? "" : "; " + o.note()).append('\n');
      } else if (!o.note().isEmpty()) {
        s.append("    ").append(o.note()).append('\n');
      }
    }
    return s.toString();
  }

  private static String micros(double nanos) {
    return Double.isNaN(nanos) ? "-" : String.format(Locale.ROOT, "%.1f", nanos / 1e3);
  }

  private static final Pattern BUDGET = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*(ms|s|m|min|h)?");

  /** {@code 500ms}, {@code 30s}, {@code 10m}, {@code 1h}; a plain number is seconds. */
  static long parseBudget(String text) {
    Matcher m = BUDGET.matcher(text.strip());
    if (!m.matches()) {
      throw new OclcException("--budget " + text + ": write a time such as 30s, 10m or 1h");
    }
    double value = Double.parseDouble(m.group(1));
    String unit = m.group(2) == null ? "s" : m.group(2);
    double seconds =
        switch (unit) {
          case "ms" -> value / 1e3;
          case "m", "min" -> value * 60;
          case "h" -> value * 3600;
          default -> value;
        };
    return (long) (seconds * 1e9);
  }
}
