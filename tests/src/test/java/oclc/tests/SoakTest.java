package oclc.tests;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Supplier;
import oclc.compiler.LoadedModel;
import oclc.ir.Tensor;
import oclc.runtime.CompiledModel;
import oclc.runtime.Executable;
import oclc.runtime.KernelBuilder;
import oclc.runtime.Session;
import oclc.runtime.cpu.JavaExecutable;
import oclc.tests.support.Gpt2Inputs;
import oclc.tests.support.JavaDevice;
import oclc.tests.support.TestDevice;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Long runs leak nothing: sessions opened, run and closed on one compiled model, and compiled
 * models loaded, run and closed, leave the process's resident memory and its threads where they
 * were once warm, on both backends. The counts are {@code -Doclc.soak.sessions} and {@code
 * -Doclc.soak.executables} (scripts/soak.sh runs 2,000 and 200); the build runs fewer.
 */
class SoakTest {
  private static final Path MODEL =
      SharedData.models().resolve("gpt2-tiny-past-opset16").resolve("model.onnx");
  private static final int SESSIONS = Integer.getInteger("oclc.soak.sessions", 300);
  private static final int EXECUTABLES = Integer.getInteger("oclc.soak.executables", 40);

  /** What a warm JVM's heap and allocator arenas still move by, well below a leak's slope. */
  private static final long RESIDENT_SLACK = 64L << 20;

  @TempDir Path folder;

  @Test
  void sessionsAndExecutablesOnOpenClLeaveMemoryAndThreadsFlat() throws IOException {
    Path artifact = folder.resolve("opencl.oclc");
    TestDevice.compile(MODEL, artifact).close();
    soak(
        "opencl",
        () ->
            Executable.load(
                artifact, TestDevice.context(), TestDevice.cache(), KernelBuilder.SILENT, w -> {}));
  }

  @Test
  void sessionsAndExecutablesOnJavaLeaveMemoryAndThreadsFlat() throws IOException {
    Path artifact = folder.resolve("java.oclc");
    JavaDevice.compile(MODEL, artifact).close();
    soak("java", () -> JavaExecutable.load(artifact, JavaDevice.THREADS, w -> {}));
  }

  private static void soak(String backend, Supplier<CompiledModel> load) throws IOException {
    Map<String, Tensor> inputs =
        Gpt2Inputs.random(LoadedModel.load(MODEL).simplified(), new Random(5), 1, 6, 4);
    try (CompiledModel model = load.get()) {
      Samples samples = new Samples(SESSIONS);
      for (int i = 0; i < SESSIONS; i++) {
        try (Session session = model.newSession()) {
          inputs.forEach(session::bind);
          session.run();
        }
        samples.after(i);
      }
      samples.assertFlat(backend + ", " + SESSIONS + " sessions");
    }
    Samples samples = new Samples(EXECUTABLES);
    for (int i = 0; i < EXECUTABLES; i++) {
      try (CompiledModel model = load.get();
          Session session = model.newSession()) {
        model.paramsCheck().await();
        inputs.forEach(session::bind);
        session.run();
      }
      samples.after(i);
    }
    samples.assertFlat(backend + ", " + EXECUTABLES + " executables");
  }

  /**
   * Usage sampled at ten points after the first fifth of a run (the warm-up). Flat: the median of
   * the last three samples exceeds the median of the first three by no more than the slack
   * (resident memory moves with the collector and the allocator's arenas; a median ignores a spike,
   * while a leak's slope shifts them all), and the threads do not grow.
   */
  private static final class Samples {
    private final int iterations;
    private final List<Usage> taken = new ArrayList<>();

    Samples(int iterations) {
      this.iterations = iterations;
    }

    void after(int iteration) throws IOException {
      int warm = iterations / 5;
      int every = Math.max(1, (iterations - warm) / 10);
      if (iteration >= warm && (iteration - warm) % every == 0) {
        taken.add(Usage.now());
      }
    }

    void assertFlat(String what) {
      long early = median(taken.subList(0, 3));
      long late = median(taken.subList(taken.size() - 3, taken.size()));
      int threadsEarly = taken.getFirst().threads();
      int threadsLate = taken.getLast().threads();
      System.out.printf(
          "soak %s: resident %d -> %d MiB (medians of three samples), threads %d -> %d%n",
          what, early >> 20, late >> 20, threadsEarly, threadsLate);
      assertTrue(
          late - early <= RESIDENT_SLACK,
          what + ": resident memory grew from " + (early >> 20) + " to " + (late >> 20) + " MiB");
      assertTrue(
          threadsLate <= threadsEarly + 2,
          what + ": threads grew from " + threadsEarly + " to " + threadsLate);
    }

    private static long median(List<Usage> three) {
      return three.stream().mapToLong(Usage::resident).sorted().toArray()[1];
    }
  }

  /** The process's resident memory (after a collection) and its live threads. */
  private record Usage(long resident, int threads) {
    static Usage now() throws IOException {
      System.gc();
      long resident = 0;
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("VmRSS:")) {
          resident = Long.parseLong(line.replaceAll("\\D", "")) << 10;
        }
      }
      return new Usage(resident, Thread.activeCount());
    }
  }
}
