package oclc.bench.gpt2;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Callable;
import oclc.artifact.Folders;
import oclc.bench.machine.MachineCeilings;
import oclc.cache.KernelCache;
import oclc.compiler.LoadedModel;
import oclc.compiler.ModelCompiler;
import oclc.ir.OclcException;
import oclc.lowering.SizeRanges;
import oclc.onnx.quantize.WeightFormat;
import oclc.onnx.quantize.WeightOptions;
import oclc.runtime.Devices;
import oclc.runtime.OpenClContext;
import oclc.runtime.cpu.JavaExecutable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * End-to-end GPT-2 on oclc against ONNX Runtime on the same machine, in one process: prefill of a
 * random prompt, then greedy decode steps with the KV cache, each engine in turn within every
 * repeat in an order rotated each repeat (so that other load on the machine falls on all, and no
 * engine always follows the same one), each turn after a pause for the engine before to go quiet
 * ({@link #SETTLE_MILLIS}), reported as medians and ratios with their intervals.
 */
@Command(
    name = "oclc bench",
    mixinStandardHelpOptions = true,
    description =
        "GPT-2 prefill and decode at several prompt lengths, cold compile and warm start, on oclc and on "
            + "ONNX Runtime in one run; prints times, ratios, fractions of the machine's ceilings and whether both "
            + "produced the same tokens, and writes a table and a chart.")
public final class Gpt2Bench implements Callable<Integer> {
  static final String OPENCL = "opencl";
  static final String JAVA = "java";

  /**
   * The pause before each engine's turn, so that it starts on a quiet machine: ONNX Runtime's
   * intra-op threads spin for a while after a run, and oclc's prefill of 8 tokens right after one
   * took 50-69 ms against 39-44 ms 100 ms later (alternating, in one process); whichever engine
   * came next paid for it.
   */
  static final long SETTLE_MILLIS = 250;

  @Parameters(
      index = "0",
      paramLabel = "MODEL.onnx",
      description = "a GPT-2 decode graph (past inputs, present outputs)")
  Path model;

  @Option(
      names = "--lengths",
      split = ",",
      defaultValue = "8,128,512",
      description = "prompt lengths: each is prefilled, then decoded from (default 8,128,512)")
  List<Integer> lengths;

  @Option(
      names = "--new-tokens",
      defaultValue = "16",
      description = "decode steps after each prefill (default 16)")
  int newTokens;

  @Option(
      names = "--warmup",
      defaultValue = "1",
      description = "untimed runs of each engine first (default 1)")
  int warmup;

  @Option(
      names = "--repeats",
      defaultValue = "10",
      description =
          "timed runs of each engine, the engines alternating in an order rotated each repeat "
              + "(default 10)")
  int repeats;

  @Option(
      names = "--device",
      defaultValue = "cpu",
      description = "the OpenCL device for oclc (default cpu)")
  String device;

  @Option(
      names = "--threads",
      description = "ONNX Runtime's intra-op threads (default: the core count)")
  Integer threads;

  @Option(
      names = "--dim",
      paramLabel = "NAME=MIN..MAX",
      description = "a symbol's compiled range (default: batch 1, the rest what the model bounds)")
  List<String> dims = new ArrayList<>();

  @Option(
      names = "--seed",
      defaultValue = "1",
      description = "the seed of the prompts' ids (default 1)")
  long seed;

  @Option(
      names = "--cache-dir",
      paramLabel = "DIR",
      description = "the kernel cache (default: $OCLC_CACHE_DIR, else ~/.cache/oclc/kernels)")
  Path cacheDir;

  @Option(
      names = "--no-profile",
      description = "skip the profiled prefill and decode step (kernel time by op type)")
  boolean noProfile;

  @Option(
      names = "--backends",
      split = ",",
      defaultValue = "opencl,java",
      description =
          "oclc's backends to run: opencl (on --device), java (the Vector API kernels); default both")
  List<String> backends;

  @Option(
      names = "--fuse",
      negatable = true,
      defaultValue = "true",
      fallbackValue = "true",
      description = "compile oclc's artifact with fusion (default) or, --no-fuse, every node alone")
  boolean fuse = true;

  @Option(
      names = "--no-startup",
      description = "skip cold compile and warm start (fresh processes)")
  boolean noStartup;

  @Option(
      names = "--weights",
      split = ",",
      defaultValue = "fp32",
      paramLabel = "fp32,int8,int4,fp16",
      description =
          "the weight formats to run: fp32 is the model as exported; each other is written once "
              + "(as oclc quantize does, into --out; int8 and int4 also with MatMulNBits at "
              + "accuracy_level 4 for ONNX Runtime) and run on both oclc backends and ONNX Runtime "
              + "(default fp32)")
  List<String> weights;

  @Option(
      names = "--block",
      defaultValue = "32",
      description = "weights per scale for int8 and int4 (default 32)")
  int block;

  @Option(
      names = "--out",
      paramLabel = "DIR",
      defaultValue = "bench-results",
      description = "where results.md and chart.svg go (default bench-results)")
  Path out;

  /** What one benchmark run is asked to do; {@code ceilings} null: measure them. */
  public record Settings(
      List<Integer> lengths,
      int newTokens,
      int warmup,
      int repeats,
      String device,
      int threads,
      Map<String, SizeRanges.Interval> dims,
      long seed,
      KernelCache cache,
      boolean profile,
      boolean startup,
      MachineCeilings ceilings,
      boolean fuse,
      List<String> backends,
      List<WeightFormat> weights,
      int block,
      Path quantizedFolder) {
    public Settings {
      lengths = List.copyOf(lengths);
      backends = List.copyOf(backends);
      weights = List.copyOf(weights);
      if (!weights.contains(WeightFormat.FP32)) {
        throw new OclcException(
            "--weights " + weights + ": give fp32 too, the baseline every ratio is taken against");
      }
      if (backends.isEmpty() || !List.of(OPENCL, JAVA).containsAll(backends)) {
        throw new OclcException("--backends takes opencl and java, not " + backends);
      }
      new WeightOptions(WeightFormat.FP32, block, List.of()); // checks the block
    }

    /** The weights as exported alone. */
    public Settings(
        List<Integer> lengths,
        int newTokens,
        int warmup,
        int repeats,
        String device,
        int threads,
        Map<String, SizeRanges.Interval> dims,
        long seed,
        KernelCache cache,
        boolean profile,
        boolean startup,
        MachineCeilings ceilings,
        boolean fuse,
        List<String> backends) {
      this(
          lengths,
          newTokens,
          warmup,
          repeats,
          device,
          threads,
          dims,
          seed,
          cache,
          profile,
          startup,
          ceilings,
          fuse,
          backends,
          List.of(WeightFormat.FP32),
          WeightOptions.DEFAULT_BLOCK,
          null);
    }
  }

  public static void main(String[] args) {
    CommandLine commandLine = new CommandLine(new Gpt2Bench());
    commandLine.setExecutionExceptionHandler(
        (exception, cmd, parseResult) -> {
          if (exception
              instanceof
              OclcException) { // errors the user can act on: one line, as oclc prints them
            cmd.getErr().println("error: " + exception.getMessage());
            return 2;
          }
          throw exception;
        });
    System.exit(commandLine.execute(args));
  }

  @Override
  public Integer call() throws IOException {
    Map<String, SizeRanges.Interval> ranges = ModelCompiler.dimRanges(dims);
    KernelCache cache =
        new KernelCache(
            cacheDir != null ? cacheDir : KernelCache.defaultDirectory(System.getenv()));
    Settings settings =
        new Settings(
            lengths,
            newTokens,
            warmup,
            repeats,
            device,
            threads != null ? threads : Runtime.getRuntime().availableProcessors(),
            ranges,
            seed,
            cache,
            !noProfile,
            !noStartup,
            null,
            fuse,
            backends,
            weights.stream().map(WeightFormat::parse).distinct().toList(),
            block,
            out);
    PrintWriter log = new PrintWriter(System.out, true);
    Gpt2Report report = measure(model, settings, log);
    log.print(report.table());
    Files.createDirectories(out);
    Files.writeString(
        out.resolve("results.md"),
        "# oclc bench, "
            + java.time.LocalDate.now()
            + "\n\n"
            + report.table().replace(System.lineSeparator(), "\n"));
    Files.writeString(out.resolve("chart.svg"), BenchChart.svg(report));
    log.println("wrote " + out.resolve("results.md") + " and " + out.resolve("chart.svg"));
    log.flush();
    return 0;
  }

  /**
   * Compiles, runs both engines as {@code settings} say, and reports; progress goes to {@code log}.
   */
  public static Gpt2Report measure(Path model, Settings settings, PrintWriter log) {
    if (settings.lengths().isEmpty()
        || settings.lengths().stream().anyMatch(l -> l < 1)
        || settings.newTokens() < 0
        || settings.repeats() < 1
        || settings.warmup() < 0) {
      throw new OclcException(
          "give --lengths of 1 or more, --new-tokens and --warmup of 0 or more, "
              + "--repeats of 1 or more");
    }
    MachineCeilings ceilings = settings.ceilings();
    if (ceilings == null) {
      log.println("measuring the machine's memory read bandwidth and fp32 FMA peak ...");
      ceilings = MachineCeilings.measure(settings.threads());
      log.println("machine: " + ceilings.describe());
    }
    Path scratch = temporaryFolder();
    boolean onOpenCl = settings.backends().contains(OPENCL);
    List<AutoCloseable> open = new ArrayList<>();
    try (OpenClContext context =
        onOpenCl ? OpenClContext.open(Devices.select(settings.device())) : null) {
      try {
        return measure(
            model, settings, context, ceilings, settings.ceilings() == null, scratch, open, log);
      } finally {
        closeAll(open, log);
      }
    } finally {
      Folders.deleteTree(scratch);
    }
  }

  /**
   * The measurements on the engines it opens (added to {@code open}, which the caller closes); with
   * {@code measureAgain}, the ceilings are measured again after the runs and the floors take the
   * better of the two, as the host's load may have fallen since the first.
   */
  private static Gpt2Report measure(
      Path model,
      Settings settings,
      OpenClContext context,
      MachineCeilings ceilings,
      boolean measureAgain,
      Path scratch,
      List<AutoCloseable> open,
      PrintWriter log) {
    List<String> notes = new ArrayList<>();
    LoadedModel loaded = LoadedModel.load(model);
    ModelFacts facts = ModelFacts.of(loaded.simplified());
    Map<String, SizeRanges.Interval> ranges = OclcGpt2.benchRanges(loaded, settings.dims());
    Gpt2Report.Startup startup = null;
    List<OclcGpt2> contenders = new ArrayList<>();
    List<String> runsOn = new ArrayList<>();
    for (String backend : settings.backends()) {
      OpenClContext device = backend.equals(OPENCL) ? context : null;
      log.printf(
          "compiling %s for %s ...%n",
          model, device != null ? device.info().name() : "the Java kernels");
      OclcGpt2 oclc =
          OclcGpt2.compile(
              loaded,
              scratch.resolve(backend + ".oclc"),
              settings.dims(),
              device,
              settings.cache(),
              settings.fuse());
      open.add(oclc);
      contenders.add(oclc);
      log.println(oclc.name() + ": " + oclc.compileSummary());
      runsOn.add(
          device != null
              ? device.info().name()
              : "the Java (Vector API) kernels, " + JavaExecutable.defaultThreads() + " threads");
    }
    List<Gpt2Engine> quantized = new ArrayList<>();
    Map<WeightFormat, List<List<String>>> formatEngines = new LinkedHashMap<>();
    Map<WeightFormat, ModelFacts> formatFacts = new LinkedHashMap<>();
    for (WeightFormat format : settings.weights()) {
      if (format == WeightFormat.FP32) {
        continue;
      }
      QuantizedFiles files =
          QuantizedFiles.write(
              model,
              format,
              settings.block(),
              settings.quantizedFolder() != null
                  ? settings.quantizedFolder()
                  : scratch.resolve("weights"),
              log);
      LoadedModel loadedFile = LoadedModel.load(files.exact());
      formatFacts.put(format, ModelFacts.of(loadedFile.simplified()));
      List<String> oclcNames = new ArrayList<>();
      for (String backend : settings.backends()) {
        OpenClContext device = backend.equals(OPENCL) ? context : null;
        log.printf("compiling %s for %s ...%n", files.exact(), backend);
        OclcGpt2 oclc =
            OclcGpt2.compile(
                loadedFile,
                scratch.resolve(backend + "-" + format.label() + ".oclc"),
                settings.dims(),
                device,
                settings.cache(),
                settings.fuse());
        open.add(oclc);
        Gpt2Engine named = Gpt2Engine.named(oclc.name() + " " + format.label(), oclc);
        log.println(named.name() + ": " + oclc.compileSummary());
        quantized.add(named);
        oclcNames.add(named.name());
      }
      List<String> ortNames = new ArrayList<>();
      OrtGpt2 exact = new OrtGpt2(files.exact(), settings.threads());
      open.add(exact);
      quantized.add(Gpt2Engine.named("ORT " + format.label(), exact));
      ortNames.add("ORT " + format.label());
      if (files.fastOrt() != null) {
        OrtGpt2 fast = new OrtGpt2(files.fastOrt(), settings.threads());
        open.add(fast);
        quantized.add(Gpt2Engine.named("ORT " + format.label() + " acc4", fast));
        ortNames.add("ORT " + format.label() + " acc4");
      }
      formatEngines.put(format, List.of(oclcNames, ortNames));
    }
    OrtGpt2 ort = new OrtGpt2(model, settings.threads());
    open.add(ort);
    List<Gpt2Engine> engines = new ArrayList<>(contenders);
    engines.add(ort);
    // every engine in one rotation, so that the machine's load falls on all alike
    List<Gpt2Engine> rotation = new ArrayList<>(contenders);
    rotation.addAll(quantized);
    rotation.add(ort);
    Map<Integer, long[]> prompts = new LinkedHashMap<>();
    settings
        .lengths()
        .forEach(
            l ->
                prompts.put(
                    l, randomPrompt(contenders.getFirst().vocabulary(), l, settings.seed() + l)));
    Map<String, List<Gpt2Engine.Run>> runs = new LinkedHashMap<>();
    for (int r = 0; r < settings.warmup() + settings.repeats(); r++) {
      boolean timed = r >= settings.warmup();
      for (var prompt : prompts.entrySet()) {
        StringBuilder line =
            new StringBuilder(
                (timed ? "repeat " + (r - settings.warmup() + 1) : "warm-up " + (r + 1))
                    + ", prompt "
                    + prompt.getKey());
        for (Gpt2Engine engine : rotated(rotation, r)) {
          settle();
          Gpt2Engine.Run run = engine.run(prompt.getValue(), settings.newTokens());
          if (timed) {
            runs.computeIfAbsent(engine.name() + "@" + prompt.getKey(), k -> new ArrayList<>())
                .add(run);
          }
          line.append(
              String.format(
                  Locale.ROOT,
                  "%s %s %.1f + %d × %.2f ms",
                  line.indexOf(":") < 0 ? ":" : ",",
                  engine.name(),
                  run.prefillMillis(),
                  run.decodeSteps(),
                  run.decodeMillisPerToken()));
        }
        log.println(line);
      }
    }
    if (measureAgain) {
      log.println("measuring the machine's ceilings again, after the runs ...");
      MachineCeilings after = MachineCeilings.measure(settings.threads());
      notes.add(
          "machine before the runs: "
              + ceilings.describe()
              + "; after them: "
              + after.describe()
              + "; the floors take the better measurement of each ceiling, both its methods from the same one (one whose methods agree first)");
      ceilings = ceilings.best(after);
    }
    List<Gpt2Report.Series> series = new ArrayList<>();
    Map<Integer, Gpt2Report.Agreement> agreements = new LinkedHashMap<>();
    for (int length : prompts.keySet()) {
      List<List<Gpt2Engine.Run>> byEngine = new ArrayList<>();
      for (Gpt2Engine engine : engines) {
        List<Gpt2Engine.Run> engineRuns = runs.get(engine.name() + "@" + length);
        series.add(Gpt2Report.Series.of(engine.name(), length, engineRuns));
        byEngine.add(engineRuns);
      }
      agreements.put(length, Gpt2Report.Agreement.of(byEngine));
    }
    List<FormatRows> formats = new ArrayList<>();
    for (var entry : formatEngines.entrySet()) {
      List<String> oclcNames = entry.getValue().get(0);
      List<String> ortNames = entry.getValue().get(1);
      Map<Integer, Gpt2Report.Agreement> onFile = new LinkedHashMap<>();
      Map<Integer, Gpt2Report.Agreement> levelFour = new LinkedHashMap<>();
      for (int length : prompts.keySet()) {
        List<String> names = new ArrayList<>(oclcNames);
        names.addAll(ortNames);
        for (String name : names) {
          series.add(Gpt2Report.Series.of(name, length, runs.get(name + "@" + length)));
        }
        // against ORT on the same file at accuracy_level 0 (last), never against fp32's tokens
        List<Gpt2Engine.Run> exactOrt = runs.get(ortNames.getFirst() + "@" + length);
        List<List<Gpt2Engine.Run>> byEngine = new ArrayList<>();
        oclcNames.forEach(name -> byEngine.add(runs.get(name + "@" + length)));
        byEngine.add(exactOrt);
        onFile.put(length, Gpt2Report.Agreement.of(byEngine));
        if (ortNames.size() > 1) {
          levelFour.put(
              length,
              Gpt2Report.Agreement.of(List.of(runs.get(ortNames.get(1) + "@" + length), exactOrt)));
        }
      }
      formats.add(
          new FormatRows(
              entry.getKey().label(),
              oclcNames,
              ortNames,
              formatFacts.get(entry.getKey()),
              onFile,
              levelFour));
    }
    for (int i = 0; i < contenders.size(); i++) {
      notes.add(
          String.format(
              Locale.ROOT,
              "%s on %s: %s; %d kernel launches per decode step",
              contenders.get(i).name(),
              runsOn.get(i),
              contenders.get(i).compileSummary(),
              contenders.get(i).enqueuesPerStep()));
    }
    notes.add(
        String.format(
            Locale.ROOT,
            "ORT %s: CPU execution provider, all optimizations, %d intra-op threads; "
                + "presents fed back as pasts inside ORT",
            ortVersion(),
            ort.threads()));
    notes.add(
        String.format(
            Locale.ROOT,
            "floors: decode = %.0f MB of matrix weights / the read bandwidth (sum %.1f GB/s, "
                + "triad %.1f GB/s%s); prefill = 2 FLOPs × %.1f M weights × tokens / the FMA peak "
                + "(register chains %.0f GFLOP/s, GEMM tile %.0f GFLOP/s%s)",
            facts.matmulWeightBytes() / 1e6,
            ceilings.readGbps(),
            ceilings.triadGbps(),
            ceilings.bandwidthAgrees()
                ? ": the sum's"
                : ": they differ by more than " + agreementPercent() + ", so no decode floor",
            facts.matmulWeights() / 1e6,
            ceilings.fmaGflops(),
            ceilings.tileGflops(),
            ceilings.fmaAgrees()
                ? ": the chains'"
                : ": they differ by more than " + agreementPercent() + ", so no prefill floor"));
    if (settings.profile()) {
      long[] longest = prompts.get(settings.lengths().getLast());
      for (OclcGpt2 contender : contenders) {
        OclcGpt2.Profile profile = contender.profile(longest);
        notes.add(
            contender.name()
                + " profiled prefill of "
                + longest.length
                + ": "
                + topOps(profile.prefillByOp()));
        notes.add(
            contender.name()
                + " profiled decode step after it: "
                + topOps(profile.decodeStepByOp()));
      }
    }
    if (settings.startup()) {
      List<String> devices =
          settings.backends().stream()
              .map(b -> b.equals(OPENCL) ? settings.device() : "java")
              .toList();
      startup =
          new StartupBench(log)
              .measure(
                  model,
                  devices,
                  ranges,
                  settings.lengths().getFirst(),
                  settings.seed(),
                  settings.threads(),
                  settings.repeats(),
                  scratch);
    }
    return new Gpt2Report(
        model.toString(),
        settings.newTokens(),
        settings.warmup(),
        engines.stream().map(Gpt2Engine::name).toList(),
        series,
        agreements,
        ceilings,
        facts,
        startup,
        notes,
        formats);
  }

  /**
   * {@code items} rotated left by {@code turn}: each repeat starts with the next engine, so that no
   * engine always runs right after the same one (or first, on a machine still busy from before).
   */
  static <T> List<T> rotated(List<T> items, int turn) {
    List<T> order = new ArrayList<>(items);
    java.util.Collections.rotate(order, -(turn % items.size()));
    return order;
  }

  /** Waits {@link #SETTLE_MILLIS}, for the threads of the engine before to go idle. */
  private static void settle() {
    try {
      Thread.sleep(SETTLE_MILLIS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new OclcException("interrupted between the engines' runs", e);
    }
  }

  /** Closes the engines, the last opened first (before the OpenCL context they run on). */
  private static void closeAll(List<AutoCloseable> engines, PrintWriter log) {
    for (AutoCloseable c : engines.reversed()) {
      try {
        c.close();
      } catch (Exception e) {
        log.println("closing " + c + ": " + e.getMessage());
      }
    }
  }

  /** The total and the five op types that took the most device time. */
  private static String topOps(Map<String, Double> byOp) {
    double total = byOp.values().stream().mapToDouble(Double::doubleValue).sum();
    StringBuilder top =
        new StringBuilder(String.format(Locale.ROOT, "kernels %.3f ms of device time", total));
    byOp.entrySet().stream()
        .sorted(Map.Entry.<String, Double>comparingByValue().reversed())
        .limit(5)
        .forEach(
            e -> top.append(String.format(Locale.ROOT, ", %s %.3f", e.getKey(), e.getValue())));
    return top.toString();
  }

  static long[] randomPrompt(int vocabulary, int length, long seed) {
    Random random = new Random(seed);
    long[] ids = new long[length];
    for (int i = 0; i < length; i++) {
      ids[i] = random.nextInt(vocabulary);
    }
    return ids;
  }

  private static String agreementPercent() {
    return String.format(Locale.ROOT, "%.0f%%", 100 * (MachineCeilings.AGREEMENT - 1));
  }

  private static String ortVersion() {
    String version = ai.onnxruntime.OrtSession.class.getPackage().getImplementationVersion();
    return version != null ? version : "(version unknown)";
  }

  private static Path temporaryFolder() {
    try {
      return Files.createTempDirectory("oclc-bench");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot make a temporary folder for the artifact", e);
    }
  }
}
