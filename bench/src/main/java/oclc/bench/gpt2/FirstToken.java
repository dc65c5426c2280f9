package oclc.bench.gpt2;

import java.nio.file.Path;
import java.util.Locale;
import oclc.cache.KernelCache;

/**
 * A process that starts, gets one engine ready and chooses the first token of a prompt, then exits:
 * what the warm-start figure times from outside (JVM start included, for both engines). {@code
 * FirstToken oclc ARTIFACT DEVICE CACHE_DIR LENGTH SEED} loads a compiled artifact (DEVICE {@code
 * java}: the Java kernels); {@code FirstToken ort MODEL THREADS LENGTH SEED} creates an ONNX
 * Runtime session from the .onnx; {@code ort-saved} from the optimized model that {@code FirstToken
 * ort-optimize MODEL THREADS LENGTH SEED SAVED} wrote (a session that saves its optimized graph to
 * SAVED). It prints one line: the token, how long getting ready and then the token took, and the
 * JVM's own start.
 */
public final class FirstToken {
  private FirstToken() {}

  public static void main(String[] args) {
    long start = System.nanoTime();
    String engine = args[0];
    Path model = Path.of(args[1]);
    long token;
    long loaded;
    if (engine.equals("oclc")) {
      int length = Integer.parseInt(args[4]);
      boolean onJava = args[2].equals("java");
      try (OclcGpt2 oclc =
          OclcGpt2.load(model, onJava ? null : args[2], new KernelCache(Path.of(args[3])))) {
        loaded = System.nanoTime();
        token =
            oclc.run(Gpt2Bench.randomPrompt(oclc.vocabulary(), length, Long.parseLong(args[5])), 0)
                .tokens()
                .getFirst();
      }
    } else if (engine.startsWith("ort")) {
      int length = Integer.parseInt(args[3]);
      int threads = Integer.parseInt(args[2]);
      try (OrtGpt2 ort =
          switch (engine) {
            case "ort" -> new OrtGpt2(model, threads);
            case "ort-saved" -> OrtGpt2.fromOptimized(model, threads);
            case "ort-optimize" -> OrtGpt2.optimizing(model, threads, Path.of(args[5]));
            default -> throw new IllegalArgumentException("engine " + engine);
          }) {
        loaded = System.nanoTime();
        token =
            ort.run(Gpt2Bench.randomPrompt(ort.vocabulary(), length, Long.parseLong(args[4])), 0)
                .tokens()
                .getFirst();
      }
    } else {
      throw new IllegalArgumentException(
          "engine " + engine + ": oclc, ort, ort-saved or ort-optimize");
    }
    long end = System.nanoTime();
    System.out.printf(
        Locale.ROOT,
        "first token %d: ready after %.0f ms (JVM start %.0f ms before main), the token %.0f ms "
            + "later%n",
        token,
        (loaded - start) / 1e6,
        (double)
                (System.currentTimeMillis()
                    - java.lang.management.ManagementFactory.getRuntimeMXBean().getStartTime())
            - (end - start) / 1e6,
        (end - loaded) / 1e6);
  }
}
