package oclc.bench.gpt2;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import oclc.bench.gpt2.Gpt2Report.Stat;
import oclc.compiler.JvmStartCache;
import oclc.ir.OclcException;
import oclc.lowering.SizeRanges;

/**
 * The start-up figures, each timed from outside a fresh JVM (its start included) to its exit: cold
 * compile is {@code oclc compile} (as {@link ColdCompile} calls the compiler API) with empty kernel
 * caches (oclc's and POCL's); warm start loads the artifact that compile wrote, with those caches
 * now filled, and chooses the first token; ORT's warm start creates its session from the .onnx and
 * chooses the first token. An OpenCL artifact starts as the oclc launcher starts its runs ({@link
 * #openClRunJvm}); its compile includes the training run of that start cache. The first warm start
 * after the compile is reported apart: POCL compiles each kernel's work-group function at its first
 * launch (of a size not launched before), into its own cache.
 */
final class StartupBench {
  /** This JVM's flags that a child needs (native access, the Vector API module, the stack size). */
  private final List<String> benchFlags;

  private final PrintWriter log;

  StartupBench(PrintWriter log) {
    this.log = log;
    this.benchFlags =
        ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
            .filter(
                a ->
                    a.startsWith("--enable-native-access")
                        || a.startsWith("--add-modules")
                        || a.startsWith("-Xss")
                        || a.startsWith("--sun-misc"))
            .toList();
  }

  /** A fresh process to time: an engine's warm start. */
  private record Starter(
      String engine, List<String> flags, List<String> mainAndArguments, Map<String, String> env) {}

  /**
   * Cold compile for each of {@code devices} ({@code java}, or an OpenCL device), each into its own
   * artifact and caches, and ORT's saving of its optimized model; then {@code repeats} rounds of
   * warm starts, each round every engine once in an order rotated each round: oclc's from its
   * artifact, ORT's from the .onnx and from its saved optimized model.
   */
  Gpt2Report.Startup measure(
      Path model,
      List<String> devices,
      Map<String, SizeRanges.Interval> ranges,
      int promptLength,
      long seed,
      int threads,
      int repeats,
      Path scratch) {
    List<String> notes = new ArrayList<>();
    Map<String, Stat> cold = new LinkedHashMap<>();
    Map<String, Stat> warm = new LinkedHashMap<>();
    List<Starter> starters = new ArrayList<>();
    for (String device : devices) {
      String engine = device.equals("java") ? OclcGpt2.JAVA : OclcGpt2.OPENCL;
      Path folder = scratch.resolve("startup-" + engine);
      Path artifact = folder.resolve("model.oclc");
      Path kernelCache = folder.resolve("kernel-cache");
      Map<String, String> env = Map.of("POCL_CACHE_DIR", folder.resolve("pocl-cache").toString());
      List<String> compile =
          new ArrayList<>(
              List.of(
                  ColdCompile.class.getName(),
                  model.toString(),
                  device,
                  artifact.toString(),
                  kernelCache.toString()));
      ranges.forEach((name, range) -> compile.add(name + "=" + range.min() + ".." + range.max()));
      log.printf("startup: %s cold compile (fresh process, empty kernel caches) ...%n", engine);
      double coldSeconds;
      try {
        coldSeconds = seconds(benchFlags, compile, env);
      } catch (OclcException e) {
        // The rest of the run is still worth its report: this engine's start-up figures are left
        // out.
        log.println("startup: " + e.getMessage());
        notes.add(
            "startup: "
                + engine
                + "'s cold compile FAILED, so its start-up figures are left out: "
                + e.getMessage().lines().findFirst().orElse(""));
        continue;
      }
      List<String> start =
          List.of(
              FirstToken.class.getName(),
              "oclc",
              artifact.toString(),
              device,
              kernelCache.toString(),
              Integer.toString(promptLength),
              Long.toString(seed));
      List<String> flags = device.equals("java") ? benchFlags : openClRunFlags(artifact);
      double firstStart = seconds(flags, start, env);
      notes.add(
          String.format(
              Locale.ROOT,
              "startup: %s cold compile %.2f s (oclc compile --device %s, empty caches); "
                  + "the first start after it %.2f s%s",
              engine,
              coldSeconds,
              device,
              firstStart,
              device.equals("java")
                  ? ""
                  : " (POCL compiles each kernel's work-group function at its first launch of a size, into its cache; "
                      + "the start cache's training run at compile launches some); started with "
                      + String.join(" ", flags)));
      cold.put(engine, Stat.of(new double[] {coldSeconds}));
      starters.add(new Starter(engine, flags, start, env));
    }
    starters.add(
        new Starter(
            "ORT", benchFlags, ortStart("ort", model, threads, promptLength, seed), Map.of()));
    Path saved = scratch.resolve("ort-optimized.onnx");
    List<String> optimize =
        new ArrayList<>(ortStart("ort-optimize", model, threads, promptLength, seed));
    optimize.add(saved.toString());
    log.println("startup: ORT saves its optimized model (fresh process) ...");
    try {
      double optimizeSeconds = seconds(benchFlags, optimize, Map.of());
      cold.put("ORT", Stat.of(new double[] {optimizeSeconds}));
      notes.add(
          String.format(
              Locale.ROOT,
              "startup: ORT's cold compile is a session from the .onnx with every optimization "
                  + "that saves its optimized model (SessionOptions.setOptimizedModelFilePath), "
                  + "%.2f s; its warm start from that model creates the session with graph "
                  + "optimizations off (NO_OPT: they were applied before saving, on this machine)",
              optimizeSeconds));
      starters.add(
          new Starter(
              Gpt2Report.ORT_OPTIMIZED,
              benchFlags,
              ortStart("ort-saved", saved, threads, promptLength, seed),
              Map.of()));
    } catch (OclcException e) {
      log.println("startup: " + e.getMessage());
      notes.add(
          "startup: ORT's saving of its optimized model FAILED, so that warm start is left out: "
              + e.getMessage().lines().findFirst().orElse(""));
    }
    Map<String, double[]> times = new LinkedHashMap<>();
    Map<String, String> lastOutputs = new LinkedHashMap<>();
    starters.forEach(s -> times.put(s.engine(), new double[repeats]));
    for (int r = 0; r < repeats; r++) {
      for (Starter s : Gpt2Bench.rotated(starters, r)) {
        log.printf(
            Locale.ROOT, "startup: %s warm start %d of %d ...%n", s.engine(), r + 1, repeats);
        times.get(s.engine())[r] = seconds(s.flags(), s.mainAndArguments(), s.env());
        lastOutputs.put(s.engine(), lastOutput);
      }
    }
    times.forEach((engine, seconds) -> warm.put(engine, Stat.of(seconds)));
    lastOutputs.forEach(
        (engine, output) -> notes.add("startup: the last " + engine + " warm start: " + output));
    List<String> tokens =
        lastOutputs.values().stream()
            .map(o -> FIRST_TOKEN.matcher(o))
            .map(m -> m.find() ? m.group(1) : "none")
            .distinct()
            .toList();
    notes.add(
        tokens.size() == 1
            ? "startup: every engine's last warm start chose token " + tokens.getFirst()
            : "startup: the engines' warm starts chose DIFFERENT first tokens: " + lastOutputs);
    notes.add(
        String.format(
            Locale.ROOT,
            "startup: warm start = a fresh JVM to the first token of a %d-token prompt, the "
                + "engines alternating (order rotated each round); oclc loads the compiled artifact "
                + "(kernels from its cache); ORT creates its session from the .onnx, or from the "
                + "optimized model it saved",
            promptLength));
    return new Gpt2Report.Startup(cold, warm, notes);
  }

  private static List<String> ortStart(
      String kind, Path model, int threads, int promptLength, long seed) {
    return List.of(
        FirstToken.class.getName(),
        kind,
        model.toString(),
        Integer.toString(threads),
        Integer.toString(promptLength),
        Long.toString(seed));
  }

  private static final java.util.regex.Pattern FIRST_TOKEN =
      java.util.regex.Pattern.compile("first token (\\d+)");

  /** The last line the last process printed (FirstToken: where its time went). */
  private String lastOutput = "";

  /**
   * The flags the oclc launcher starts an OpenCL artifact's runs with: those it names in {@value
   * JvmStartCache#FLAGS_VARIABLE} (no Vector API module) and the artifact's start cache, which the
   * compile trained with them; this JVM's own flags where the bench was not started by the
   * launcher.
   */
  private List<String> openClRunFlags(Path artifact) {
    List<String> run = new ArrayList<>(JvmStartCache.runFlags(System.getenv()));
    if (run.isEmpty()) {
      return benchFlags;
    }
    run.addAll(JvmStartCache.startFlags(artifact));
    return run;
  }

  /**
   * Runs a class of this class path in a fresh JVM with {@code flags} and returns its wall time,
   * start to exit.
   */
  private double seconds(
      List<String> flags, List<String> mainAndArguments, Map<String, String> env) {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(flags);
    command.addAll(List.of("-cp", System.getProperty("java.class.path")));
    command.addAll(mainAndArguments);
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.environment().putAll(env);
    try {
      long start = System.nanoTime();
      Process process = builder.start();
      String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      int exit = process.waitFor();
      double seconds = (System.nanoTime() - start) / 1e9;
      lastOutput =
          output.lines().filter(l -> !l.startsWith("WARNING")).reduce((a, b) -> b).orElse("");
      if (exit != 0) {
        throw new OclcException(
            "the start-up measurement "
                + mainAndArguments
                + " failed (exit "
                + exit
                + "):\n"
                + output);
      }
      return seconds;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start " + command.getFirst(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new OclcException("interrupted while timing " + mainAndArguments, e);
    }
  }
}
