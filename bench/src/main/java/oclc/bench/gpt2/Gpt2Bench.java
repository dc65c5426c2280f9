package oclc.bench.gpt2;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import oclc.cache.KernelCache;
import oclc.codegen.opencl.SizeRanges;
import oclc.ir.OclcException;
import oclc.runtime.Devices;
import oclc.runtime.OpenClContext;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * End-to-end GPT-2 on oclc against ONNX Runtime on the same machine, in one process: prefill of
 * a random prompt, then greedy decode steps with the KV cache, each engine in turn within every
 * repeat (so that other load on the machine falls on both), reported as medians and ratios.
 */
@Command(name = "oclc bench", mixinStandardHelpOptions = true,
    description = "GPT-2 prefill and decode on oclc and on ONNX Runtime; prints times, ratios and whether both "
        + "produced the same tokens.")
public final class Gpt2Bench implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "MODEL.onnx", description = "a GPT-2 decode graph (past inputs, present outputs)")
  Path model;

  @Option(names = "--prompt-length", defaultValue = "32", description = "prompt tokens (random ids; default 32)")
  int promptLength;

  @Option(names = "--new-tokens", defaultValue = "32", description = "decode steps after the prefill (default 32)")
  int newTokens;

  @Option(names = "--warmup", defaultValue = "2", description = "untimed runs of each engine first (default 2)")
  int warmup;

  @Option(names = "--repeats", defaultValue = "5", description = "timed runs of each engine (default 5)")
  int repeats;

  @Option(names = "--device", defaultValue = "cpu", description = "the OpenCL device for oclc (default cpu)")
  String device;

  @Option(names = "--threads", description = "ONNX Runtime's intra-op threads (default: the core count)")
  Integer threads;

  @Option(names = "--dim", paramLabel = "NAME=MIN..MAX",
      description = "a symbol's compiled range (default: batch 1, the rest what the model bounds)")
  List<String> dims = new ArrayList<>();

  @Option(names = "--seed", defaultValue = "1", description = "the seed of the prompt's ids (default 1)")
  long seed;

  @Option(names = "--cache-dir", paramLabel = "DIR",
      description = "the kernel cache (default: $OCLC_CACHE_DIR, else ~/.cache/oclc/kernels)")
  Path cacheDir;

  @Option(names = "--no-profile", description = "skip the profiled decode step (kernel time by op type)")
  boolean noProfile;

  @Option(names = "--fuse", negatable = true, defaultValue = "true", fallbackValue = "true",
      description = "compile oclc's artifact with fusion (default) or, --no-fuse, every node alone")
  boolean fuse = true;

  /** What one benchmark run is asked to do. */
  public record Settings(int promptLength, int newTokens, int warmup, int repeats, String device, int threads,
      Map<String, SizeRanges.Interval> dims, long seed, KernelCache cache, boolean profile, boolean fuse) {}

  public static void main(String[] args) {
    CommandLine commandLine = new CommandLine(new Gpt2Bench());
    commandLine.setExecutionExceptionHandler((exception, cmd, parseResult) -> {
      if (exception instanceof OclcException) { // errors the user can act on: one line, as oclc prints them
        cmd.getErr().println("error: " + exception.getMessage());
        return 2;
      }
      throw exception;
    });
    System.exit(commandLine.execute(args));
  }

  @Override
  public Integer call() {
    Map<String, SizeRanges.Interval> ranges = new LinkedHashMap<>();
    for (String spec : dims) {
      int equals = spec.indexOf('=');
      if (equals <= 0) {
        throw new OclcException("--dim " + spec + ": write NAME=MIN..MAX, e.g. --dim past_sequence_length=0..255");
      }
      ranges.put(spec.substring(0, equals).strip(), SizeRanges.Interval.parse(spec.substring(equals + 1).strip()));
    }
    KernelCache cache = new KernelCache(cacheDir != null ? cacheDir : KernelCache.defaultDirectory(System.getenv()));
    Settings settings = new Settings(promptLength, newTokens, warmup, repeats, device,
        threads != null ? threads : Runtime.getRuntime().availableProcessors(), ranges, seed, cache, !noProfile, fuse);
    PrintWriter out = new PrintWriter(System.out, true);
    Gpt2Report report = measure(model, settings, out);
    out.print(report.table());
    out.flush();
    return 0;
  }

  /** Compiles, runs both engines as {@code settings} say, and reports; progress goes to {@code log}. */
  public static Gpt2Report measure(Path model, Settings settings, PrintWriter log) {
    if (settings.promptLength() < 1 || settings.newTokens() < 0 || settings.repeats() < 1 || settings.warmup() < 0) {
      throw new OclcException("give --prompt-length of 1 or more, --new-tokens and --warmup of 0 or more, "
          + "--repeats of 1 or more");
    }
    List<String> notes = new ArrayList<>();
    Path scratch = temporaryFolder();
    try (OpenClContext context = OpenClContext.open(Devices.select(settings.device()))) {
      log.printf("compiling %s for %s ...%n", model, context.info().name());
      try (OclcGpt2 oclc = OclcGpt2.compile(model, scratch.resolve("model.oclc"), settings.dims(), context, settings.cache(),
          settings.fuse());
          OrtGpt2 ort = new OrtGpt2(model, settings.threads())) {
        log.println("oclc: " + oclc.compileSummary());
        long[] prompt = randomPrompt(oclc.vocabulary(), settings.promptLength(), settings.seed());
        List<Gpt2Engine> engines = List.of(oclc, ort);
        List<List<Gpt2Engine.Run>> runs = new ArrayList<>();
        engines.forEach(e -> runs.add(new ArrayList<>()));
        for (int r = 0; r < settings.warmup() + settings.repeats(); r++) {
          boolean timed = r >= settings.warmup();
          StringBuilder line = new StringBuilder(timed ? "repeat " + (r - settings.warmup() + 1) : "warm-up " + (r + 1));
          for (int e = 0; e < engines.size(); e++) {
            Gpt2Engine.Run run = engines.get(e).run(prompt, settings.newTokens());
            if (timed) {
              runs.get(e).add(run);
            }
            line.append(String.format(Locale.ROOT, "%s %s %.1f ms", e == 0 ? ":" : ",", engines.get(e).name(),
                run.prefillMillis() + run.decodeMillis()));
          }
          log.println(line);
        }
        notes.add(String.format(Locale.ROOT, "oclc on %s: %s; %d kernel enqueues per decode step", context.info().name(),
            oclc.compileSummary(), oclc.enqueuesPerStep()));
        notes.add(String.format(Locale.ROOT, "ORT %s: CPU execution provider, all optimizations, %d intra-op threads; "
            + "presents fed back as pasts inside ORT", ortVersion(), ort.threads()));
        if (settings.profile()) {
          OclcGpt2.Profile profile = oclc.profile(prompt);
          notes.add("oclc profiled prefill: " + topOps(profile.prefillByOp()));
          notes.add("oclc profiled decode step: " + topOps(profile.decodeStepByOp()));
        }
        List<Gpt2Engine.Run> ortRuns = runs.get(1);
        return new Gpt2Report(model.toString(), settings.promptLength(), settings.newTokens(), settings.warmup(),
            List.of(Gpt2Report.EngineResult.of(oclc.name(), runs.get(0)), Gpt2Report.EngineResult.of(ort.name(), ortRuns)),
            Gpt2Report.Agreement.of(runs), notes);
      }
    } finally {
      deleteTree(scratch);
    }
  }

  /** The total and the five op types that took the most device time. */
  private static String topOps(Map<String, Double> byOp) {
    double total = byOp.values().stream().mapToDouble(Double::doubleValue).sum();
    StringBuilder top = new StringBuilder(String.format(Locale.ROOT, "kernels %.3f ms of device time", total));
    byOp.entrySet().stream().sorted(Map.Entry.<String, Double>comparingByValue().reversed()).limit(5)
        .forEach(e -> top.append(String.format(Locale.ROOT, ", %s %.3f", e.getKey(), e.getValue())));
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

  private static void deleteTree(Path root) {
    try (Stream<Path> walk = Files.walk(root)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot remove " + root, e);
    }
  }
}
