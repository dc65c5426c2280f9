package oclc.compiler;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import oclc.artifact.Manifest;
import oclc.cache.KernelCache;
import oclc.ir.Tensor;
import oclc.runtime.Executable;
import oclc.runtime.KernelBuilder;
import oclc.runtime.LaunchPlan;
import oclc.runtime.Session;

/**
 * The JDK's AOT cache for starting an OpenCL artifact (JEP 483/515): the classes loaded and linked,
 * the lambdas spun and the method profiles of one training run that loads the artifact and runs it,
 * so that a later start skips that work. On this 2-core machine a fresh JVM comes to GPT-2 small's
 * first token in 0.40-0.54 s with it, 0.63-0.67 s without (docs/benchmarks.md).
 *
 * <p>The cache only holds for the JVM flags it was trained with, so the oclc launcher names them
 * (the flags it starts {@code run}, {@code generate} and {@code profile} of an OpenCL artifact
 * with, in {@value #FLAGS_VARIABLE}); {@code oclc compile} then trains the cache into the artifact,
 * and the launcher starts those commands with it. A JDK or a jar other than the one that made it
 * ignores it.
 */
public final class JvmStartCache {
  /** Where the cache lives in an artifact. */
  public static final String FILE = "jvm/start.aot";

  /**
   * The JVM flags of an OpenCL run, as the launcher starts one; without them no cache is trained.
   */
  public static final String FLAGS_VARIABLE = "OCLC_RUN_JVM_FLAGS";

  /** The JDK's own messages about the cache would mix with the command's output. */
  private static final List<String> QUIET = List.of("-Xlog:aot=off", "-Xlog:cds=off");

  private JvmStartCache() {}

  /**
   * Trains the cache of {@code artifact} in a child JVM, with the flags of {@value #FLAGS_VARIABLE}
   * in {@code environment}. Returns a line for the compile summary, or null where none was made:
   * the launcher named no flags, or the class path has folders (nothing is said), or the training
   * failed ({@code warnings} hears why).
   */
  static String train(
      Path artifact,
      String device,
      Path kernelCache,
      Map<String, String> environment,
      Consumer<String> warnings) {
    List<String> flags = runFlags(environment);
    if (flags.isEmpty()) {
      return null;
    }
    String classPath = System.getProperty("java.class.path");
    if (Arrays.stream(classPath.split(File.pathSeparator))
        .anyMatch(entry -> Files.isDirectory(Path.of(entry)))) {
      return null; // a development build's classes folders, which the JDK's AOT cache does not take
    }
    Path cache = artifact.resolve(FILE);
    Path training = cache.resolveSibling(cache.getFileName() + ".training");
    List<String> command = new ArrayList<>();
    command.add(
        ProcessHandle.current()
            .info()
            .command()
            .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
    command.addAll(flags);
    command.addAll(QUIET);
    command.addAll(
        List.of(
            "-XX:AOTCacheOutput=" + training,
            "-cp",
            classPath,
            JvmStartCache.class.getName(),
            artifact.toString(),
            device,
            kernelCache.toString()));
    long start = System.nanoTime();
    try {
      Files.createDirectories(cache.getParent());
      Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
      String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (process.waitFor() != 0 || !Files.isRegularFile(training)) {
        Files.deleteIfExists(training);
        warnings.accept("no JVM start cache: its training run failed:\n" + output.strip());
        return null;
      }
      Files.move(
          training, cache, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      warnings.accept("no JVM start cache: " + e.getMessage());
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    }
    return String.format(
        java.util.Locale.ROOT,
        "JVM start cache: %s (%.1f s)",
        cache,
        (System.nanoTime() - start) / 1e9);
  }

  /**
   * The JVM flags of an OpenCL run that {@code environment} names in {@value #FLAGS_VARIABLE}; none
   * where it names none.
   */
  public static List<String> runFlags(Map<String, String> environment) {
    String flags = environment.get(FLAGS_VARIABLE);
    return flags == null || flags.isBlank() ? List.of() : List.of(flags.trim().split("\\s+"));
  }

  /** The JVM flags that start an artifact with its cache, where it has one (else none). */
  public static List<String> startFlags(Path artifact) {
    Path cache = artifact.resolve(FILE);
    if (!Files.isRegularFile(cache)) {
      return List.of();
    }
    List<String> flags = new ArrayList<>(QUIET);
    flags.add("-XX:AOTCache=" + cache);
    return flags;
  }

  /**
   * The training run: {@code ARTIFACT DEVICE KERNEL_CACHE}. Loads the artifact and runs it twice (a
   * plan made anew, then one that stands) on inputs of small sizes; the values do not matter here.
   */
  public static void main(String[] args) {
    Path artifact = Path.of(args[0]);
    try (Executable executable =
            Executable.open(
                artifact,
                args[1],
                new KernelCache(Path.of(args[2])),
                KernelBuilder.SILENT,
                w -> {});
        Session session = executable.newSession()) {
      Manifest manifest = executable.manifest();
      Map<String, Long> sizes = new HashMap<>();
      manifest.symbols().forEach(s -> sizes.put(s.name(), Math.clamp(8, s.min(), s.max())));
      for (int run = 0; run < 2; run++) {
        for (Manifest.TensorSpec input : manifest.inputs()) {
          long[] shape = input.shape().stream().mapToLong(d -> d.evaluate(sizes::get)).toArray();
          session.bind(input.name(), Tensor.allocate(input.dtype(), shape));
        }
        LaunchPlan plan = session.plan();
        for (LaunchPlan.PlannedLaunch launch : plan) {
          session.launch(launch);
        }
        session.finish();
        manifest.outputs().forEach(output -> session.output(output.name()));
      }
    }
  }
}
