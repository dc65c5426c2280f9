package oclc.bench.gpt2;

import java.nio.file.Path;
import java.util.Locale;
import oclc.cache.KernelCache;

/**
 * A process that starts, gets one engine ready and chooses the first token of a prompt, then exits:
 * what the warm-start figure times from outside (JVM start included, for both engines). {@code
 * FirstToken oclc ARTIFACT DEVICE CACHE_DIR LENGTH SEED} loads a compiled artifact (DEVICE {@code
 * java}: the Java kernels); {@code FirstToken ort MODEL THREADS LENGTH SEED} creates an ONNX
 * Runtime session. It prints one line: the token, how long getting ready and then the token took,
 * and the JVM's own start.
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
    } else if (engine.equals("ort")) {
      int length = Integer.parseInt(args[3]);
      try (OrtGpt2 ort = new OrtGpt2(model, Integer.parseInt(args[2]))) {
        loaded = System.nanoTime();
        token =
            ort.run(Gpt2Bench.randomPrompt(ort.vocabulary(), length, Long.parseLong(args[4])), 0)
                .tokens()
                .getFirst();
      }
    } else {
      throw new IllegalArgumentException("engine " + engine + ": oclc or ort");
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
