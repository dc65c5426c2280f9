package oclc.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
import oclc.runtime.OpenClContext;
import oclc.runtime.OpenClObjects;
import oclc.runtime.Session;
import oclc.runtime.cpu.JavaExecutable;
import oclc.tests.support.Gpt2Inputs;
import oclc.tests.support.JavaDevice;
import oclc.tests.support.TestDevice;
import org.jocl.CL;
import org.jocl.Pointer;
import org.jocl.Sizeof;
import org.jocl.cl_context;
import org.jocl.cl_program;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Long runs leak nothing: sessions opened, run and closed on one compiled model, and compiled
 * models loaded, run and closed, leave the process's resident memory and its threads where they
 * were once warm, on both backends, and on OpenCL every object the runtime made is released (the
 * counts are back at their baseline after each session and each executable). The counts are {@code
 * -Doclc.soak.sessions} and {@code -Doclc.soak.executables} (scripts/soak.sh runs 2,000 and 200);
 * the build runs fewer.
 */
class SoakTest {
  private static final Path MODEL =
      SharedData.models().resolve("gpt2-tiny-past-opset16").resolve("model.onnx");
  private static final int SESSIONS = Integer.getInteger("oclc.soak.sessions", 300);
  private static final int EXECUTABLES = Integer.getInteger("oclc.soak.executables", 40);

  /** What a warm JVM's heap and allocator arenas still move by, well below a leak's slope. */
  private static final long RESIDENT_SLACK = 64L << 20;

  @TempDir Path folder;

  /**
   * On a context of its own, so that the OpenCL objects it counts are this test's: back to their
   * count after every session and every executable closed, and none once the context is closed.
   */
  @Test
  void sessionsAndExecutablesOnOpenClLeaveMemoryThreadsAndObjectsFlat() throws IOException {
    Path artifact = folder.resolve("opencl.oclc");
    TestDevice.compile(MODEL, artifact).close();
    OpenClContext context = OpenClContext.open(TestDevice.context().info());
    try {
      ObjectsCheck objects = new OpenClObjectsCheck(context);
      soak(
          "opencl",
          () ->
              Executable.load(artifact, context, TestDevice.cache(), KernelBuilder.SILENT, w -> {}),
          objects);
    } finally {
      context.close();
    }
    assertEquals(OpenClObjects.Counts.NONE, context.objects().counts(), "once the context closed");
  }

  @Test
  void sessionsAndExecutablesOnJavaLeaveMemoryAndThreadsFlat() throws IOException {
    Path artifact = folder.resolve("java.oclc");
    JavaDevice.compile(MODEL, artifact).close();
    soak(
        "java",
        () -> JavaExecutable.load(artifact, JavaDevice.THREADS, w -> {}),
        ObjectsCheck.NONE);
  }

  private static void soak(String backend, Supplier<CompiledModel> load, ObjectsCheck objects)
      throws IOException {
    Map<String, Tensor> inputs =
        Gpt2Inputs.random(LoadedModel.load(MODEL).simplified(), new Random(5), 1, 6, 4);
    try (CompiledModel model = load.get()) {
      objects.baseline(model, "with the executable loaded");
      Samples samples = new Samples(SESSIONS);
      for (int i = 0; i < SESSIONS; i++) {
        try (Session session = model.newSession()) {
          session.profile(i % 10 == 0); // a profiled launch holds an event per dispatch
          inputs.forEach(session::bind);
          session.run();
          if (i == 0) {
            objects.assertHeld("by a session that ran profiled");
          }
        }
        objects.assertBack("after session " + i);
        samples.after(i);
      }
      samples.assertFlat(backend + ", " + SESSIONS + " sessions");
    }
    objects.baseline(null, "with the executable closed");
    Samples samples = new Samples(EXECUTABLES);
    for (int i = 0; i < EXECUTABLES; i++) {
      try (CompiledModel model = load.get();
          Session session = model.newSession()) {
        model.paramsCheck().await();
        inputs.forEach(session::bind);
        session.run();
      }
      objects.assertBack("after executable " + i);
      samples.after(i);
    }
    samples.assertFlat(backend + ", " + EXECUTABLES + " executables");
  }

  /** The device objects a backend holds, checked back at a baseline after each cycle. */
  private interface ObjectsCheck {
    ObjectsCheck NONE =
        new ObjectsCheck() {
          @Override
          public void baseline(CompiledModel model, String when) {}

          @Override
          public void assertBack(String when) {}

          @Override
          public void assertHeld(String by) {}
        };

    /** Takes the counts now as the baseline ({@code model}: the loaded one, or null). */
    void baseline(CompiledModel model, String when);

    void assertBack(String when);

    /** That the counts see objects made since the baseline (kernels, buffers, events). */
    void assertHeld(String by);
  }

  /**
   * The runtime's own counts ({@link OpenClContext#objects()}), cross-checked against the driver's
   * reference counts: the context's (POCL counts one for each queue, program and buffer on it) and,
   * while an executable is loaded, each of its programs' (its kernel objects hold them).
   */
  private static final class OpenClObjectsCheck implements ObjectsCheck {
    private final OpenClContext context;
    private OpenClObjects.Counts counts;
    private long contextReferences;
    private List<cl_program> programs = List.of();
    private long[] programReferences;

    OpenClObjectsCheck(OpenClContext context) {
      this.context = context;
    }

    @Override
    public void baseline(CompiledModel model, String when) {
      counts = context.objects().counts();
      CL.clFinish(context.queue());
      contextReferences = settledReferences(context, references(context.context()));
      programs =
          model == null
              ? List.of()
              : List.copyOf(((Executable) model).programs().byKernel().values());
      programReferences = programs.stream().mapToLong(SoakTest::references).toArray();
      System.out.printf(
          "soak opencl objects %s: %s; POCL: context references %d, program references %s%n",
          when, counts, contextReferences, java.util.Arrays.toString(programReferences));
    }

    @Override
    public void assertBack(String when) {
      assertEquals(counts, context.objects().counts(), "OpenCL objects " + when);
      assertEquals(
          contextReferences,
          settledReferences(context, contextReferences),
          "context references " + when);
      for (int p = 0; p < programs.size(); p++) {
        assertEquals(
            programReferences[p], references(programs.get(p)), "program references " + when);
      }
    }

    @Override
    public void assertHeld(String by) {
      OpenClObjects.Counts now = context.objects().counts();
      System.out.printf("soak opencl objects held %s: %s%n", by, now);
      assertTrue(now.kernels() > counts.kernels(), "kernels held " + by + ": " + now);
      assertTrue(now.memObjects() > counts.memObjects(), "memory objects held " + by + ": " + now);
      assertTrue(now.events() > counts.events(), "events held " + by + ": " + now);
      assertTrue(references(context.context()) > contextReferences, "context references " + by);
    }
  }

  /**
   * The driver's count once the queue is idle, waiting up to 2 s for it to come down to {@code
   * expected}: POCL's finished commands hold the context until its own thread frees them (a read
   * right after clFinish found one or two more, now and then).
   */
  private static long settledReferences(OpenClContext device, long expected) {
    CL.clFinish(device.queue());
    long deadline = System.nanoTime() + 2_000_000_000L;
    long count = references(device.context());
    while (count != expected && System.nanoTime() < deadline) {
      Thread.onSpinWait();
      count = references(device.context());
    }
    return count;
  }

  private static long references(cl_context context) {
    int[] count = new int[1];
    CL.clGetContextInfo(
        context, CL.CL_CONTEXT_REFERENCE_COUNT, Sizeof.cl_uint, Pointer.to(count), null);
    return count[0];
  }

  private static long references(cl_program program) {
    int[] count = new int[1];
    CL.clGetProgramInfo(
        program, CL.CL_PROGRAM_REFERENCE_COUNT, Sizeof.cl_uint, Pointer.to(count), null);
    return count[0];
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
