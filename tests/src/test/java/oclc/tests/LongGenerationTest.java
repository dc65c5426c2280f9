package oclc.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnxruntime.OrtException;
import java.io.IOException;
import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.ToLongFunction;
import oclc.compiler.LoadedModel;
import oclc.compiler.generate.Generator;
import oclc.compiler.generate.Steppers;
import oclc.compiler.generate.TokenChooser;
import oclc.ir.DType;
import oclc.ir.Remedy;
import oclc.ir.Tensor;
import oclc.ir.exec.InputShapeException;
import oclc.runtime.CompiledModel;
import oclc.runtime.Executable;
import oclc.runtime.OpenClObjects;
import oclc.runtime.Session;
import oclc.tests.support.JavaDevice;
import oclc.tests.support.LongContextDecoderModel;
import oclc.tests.support.OrtGreedyDecoder;
import oclc.tests.support.TestDevice;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A generation of thousands of tokens on the KV-cache path of both backends, within a compiled
 * range of 4,096 positions ({@link LongContextDecoderModel}): the tokens are ONNX Runtime's greedy
 * loop's (all of them) and the reference executor's (a prefix); the process's memory and the time
 * per token stay flat; and the step one token past the range fails with the error that names the
 * dim, its range and the remedy, leaving the session usable. {@code -Doclc.long.tokens} sets how
 * many tokens are checked and timed before the run goes on to the edge of the range (every token up
 * to the edge is always generated and checked).
 */
class LongGenerationTest {
  private static final long[] PROMPT = {5, 17, 42, 8, 93, 61, 30, 2};

  /** Prompts of up to 8 tokens, and a past that keeps every position inside the 4,096 rows. */
  private static final long MAX_PAST = LongContextDecoderModel.POSITIONS - PROMPT.length;

  private static final Map<String, String> RANGES =
      Map.of(
          "batch_size", "1..1",
          "sequence_length", "1.." + PROMPT.length,
          "past_sequence_length", "0.." + MAX_PAST);

  /** Every token a single-token decode reaches: the prefill's, then one per past up to the max. */
  private static final int TO_THE_EDGE = (int) (MAX_PAST - PROMPT.length + 2);

  private static final int REFERENCE_PREFIX = 24;

  /** Generations in a row, each in a new session ({@code -Doclc.long.generations}). */
  private static final int GENERATIONS = Integer.getInteger("oclc.long.generations", 1);

  /**
   * What the heap (after a collection) and the direct buffers may move by: 1 MiB, 0.25 KiB a step.
   */
  private static final long HEAP_SLACK = 1L << 20;

  /** What the allocator's arenas and the JIT's code may move the resident set by. */
  private static final long RESIDENT_SLACK = 16L << 20;

  @TempDir static Path folder;
  private static Path model;
  private static List<Long> expected;

  @BeforeAll
  static void writeModelAndRunOnnxRuntime() throws OrtException {
    model = LongContextDecoderModel.write(folder.resolve("model.onnx"));
    try (OrtGreedyDecoder ort =
        new OrtGreedyDecoder(
            model, "input_ids", "logits", s -> s.replace("past_key_values", "present"))) {
      expected = ort.generate(PROMPT, TO_THE_EDGE);
    }
    List<Long> reference =
        Generator.generate(
                Steppers.reference(LoadedModel.load(model).simplified()),
                PROMPT,
                REFERENCE_PREFIX,
                TokenChooser.greedy())
            .tokens();
    assertEquals(expected.subList(0, REFERENCE_PREFIX), reference, "reference vs ONNX Runtime");
  }

  @Test
  void fourThousandTokensOnOpenClStayFlatAndOneMoreIsRefused() {
    try (Executable device = TestDevice.compile(model, folder.resolve("opencl.oclc"), RANGES)) {
      generateToTheEdge("OpenCL", device, device.device().objects());
    }
  }

  @Test
  void fourThousandTokensOnJavaStayFlatAndOneMoreIsRefused() {
    try (CompiledModel java =
        JavaDevice.compile(model, folder.resolve("java.oclc"), RANGES, true)) {
      generateToTheEdge("Java", java, null);
    }
  }

  /**
   * {@link #GENERATIONS} generations to the edge of the range, each in a session of its own, then
   * one step more; memory and time checked within each and across them. {@code objects}: the OpenCL
   * device's counts (null on Java), whose buffers may grow with the past (a plan grows a buffer by
   * a quarter more than it needs) but never beyond what a session planned at the top of the range
   * holds, nor in number.
   */
  private static void generateToTheEdge(
      String backend, CompiledModel compiled, OpenClObjects objects) {
    long topOfRange = objects == null ? 0 : bytesAtTheTop(compiled, objects);
    Usage firstEnd = null;
    for (int g = 0; g < GENERATIONS; g++) {
      try (Session session = compiled.newSession()) {
        Generator.Stepper cached = Steppers.forSession(compiled.manifest(), session);
        assertTrue(cached.mode().startsWith("KV cache on the device"), cached.mode());
        Probe probe = new Probe(cached, objects);
        List<Long> tokens =
            Generator.generate(probe, PROMPT, TO_THE_EDGE, TokenChooser.greedy()).tokens();
        assertEquals(expected, tokens, backend + " vs ONNX Runtime, generation " + g);
        probe.assertFlat(backend + ", generation " + g, topOfRange);
        Usage end = probe.samples.getLast();
        firstEnd = firstEnd == null ? end : firstEnd;
        assertTrue(
            end.heap() - firstEnd.heap() <= HEAP_SLACK
                && end.resident() - firstEnd.resident() <= RESIDENT_SLACK,
            backend + ": generation " + g + " ends at " + end + ", the first at " + firstEnd);

        // the last step ran with the past at the top of its range; one more token is past it
        long[] next = {tokens.getLast()};
        InputShapeException refused =
            assertThrows(InputShapeException.class, () -> cached.step(next), backend);
        assertEquals(
            "the inputs give past_sequence_length = "
                + (MAX_PAST + 1)
                + ", outside the compiled range 0.."
                + MAX_PAST,
            refused.getMessage(),
            backend);
        assertEquals(Remedy.WIDEN_DIM, refused.remedy().orElseThrow(), backend);
        assertEquals(List.of("past_sequence_length"), refused.subjects(), backend);
      }
    }
  }

  /**
   * The bytes of the device buffers a session holds once planned with the past at the top of its
   * range and one new token.
   */
  private static long bytesAtTheTop(CompiledModel compiled, OpenClObjects objects) {
    long before = objects.counts().memBytes();
    try (Session session = compiled.newSession()) {
      for (String past : session.cachedInputs()) {
        session.bind(
            past,
            Tensor.allocate(
                DType.FLOAT32,
                new long[] {
                  1, LongContextDecoderModel.HEADS, MAX_PAST, LongContextDecoderModel.HEAD
                }));
      }
      session.bind("input_ids", Tensor.ofLongs(new long[] {1, 1}, 7));
      session.plan();
      return objects.counts().memBytes() - before;
    }
  }

  /**
   * Memory at one step: heap in use after a collection plus direct buffers, RSS, and the device
   * buffers (their number and bytes) held beyond the executable's.
   */
  private record Usage(int step, long heap, long resident, long deviceObjects, long deviceBytes) {
    static Usage now(int step, OpenClObjects objects, OpenClObjects.Counts loaded) {
      System.gc();
      long heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
      long direct =
          ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class).stream()
              .mapToLong(BufferPoolMXBean::getMemoryUsed)
              .sum();
      OpenClObjects.Counts device = objects == null ? OpenClObjects.Counts.NONE : objects.counts();
      return new Usage(
          step,
          heap + direct,
          residentBytes(),
          device.memObjects() - loaded.memObjects(),
          device.memBytes() - loaded.memBytes());
    }

    @Override
    public String toString() {
      return String.format(
          "step %d: heap+direct %.2f MiB, resident %.1f MiB, session's device buffers %d (%d bytes)",
          step, heap / 1048576.0, resident / 1048576.0, deviceObjects, deviceBytes);
    }
  }

  /**
   * A stepper that times each step and samples memory every 250 steps. Flat: from the samples at
   * steps 500-1000 (the first 500 warm the JIT and the driver) to the last three, the heap and
   * direct buffers grow by at most {@link #HEAP_SLACK} and the resident set by {@link
   * #RESIDENT_SLACK} (medians), the device's buffers not in number; and the median time per token
   * of the last 500 steps is at most 1.5 times that of steps 500-1000 scaled by how much longer the
   * past is (attention reads every past position, so a step may grow as O(past), not faster).
   */
  private static final class Probe implements Generator.Stepper {
    private static final int EVERY = 250;
    private final Generator.Stepper inner;
    private final OpenClObjects objects;
    private final OpenClObjects.Counts loaded;
    private final long[] nanos = new long[TO_THE_EDGE];
    private int steps;
    private final List<Usage> samples = new ArrayList<>();

    Probe(Generator.Stepper inner, OpenClObjects objects) {
      this.inner = inner;
      this.objects = objects;
      this.loaded = objects == null ? OpenClObjects.Counts.NONE : objects.counts();
    }

    @Override
    public float[] step(long[] newTokens) {
      long start = System.nanoTime();
      float[] logits = inner.step(newTokens);
      nanos[steps++] = System.nanoTime() - start;
      if (steps % EVERY == 0) {
        samples.add(Usage.now(steps, objects, loaded));
      }
      return logits;
    }

    @Override
    public String mode() {
      return inner.mode();
    }

    void assertFlat(String what, long topOfRange) {
      StringBuilder text =
          new StringBuilder(
              "long generation "
                  + what
                  + " (a plan at the top of the range holds "
                  + topOfRange
                  + " bytes of device buffers):\n");
      samples.forEach(s -> text.append("  ").append(s).append('\n'));
      for (int from = 0; from < steps; from += 500) {
        int to = Math.min(steps, from + 500);
        text.append(
            String.format(
                "  steps %4d-%4d: median %.3f ms per token%n", from, to, median(from, to) / 1e6));
      }
      System.out.print(text);
      List<Usage> early =
          samples.stream().filter(s -> s.step() >= 500 && s.step() <= 1000).toList();
      List<Usage> late = samples.subList(samples.size() - 3, samples.size());
      long heapGrowth = median(late, Usage::heap) - median(early, Usage::heap);
      long residentGrowth = median(late, Usage::resident) - median(early, Usage::resident);
      assertTrue(heapGrowth <= HEAP_SLACK, what + ": heap grew by " + heapGrowth + "\n" + text);
      assertTrue(
          residentGrowth <= RESIDENT_SLACK,
          what + ": resident memory grew by " + residentGrowth + "\n" + text);
      assertTrue(
          samples.stream().allMatch(s -> s.deviceObjects() == early.getFirst().deviceObjects()),
          what + ": the number of the device's buffers changed\n" + text);
      assertTrue(
          samples.stream().allMatch(s -> s.deviceBytes() <= topOfRange),
          what
              + ": the device's buffers outgrew the "
              + topOfRange
              + " bytes of a plan at the top of the range\n"
              + text);
      double earlyPast = PROMPT.length + 750;
      double latePast = PROMPT.length + steps - 250;
      long earlyTime = median(500, 1000);
      long lateTime = median(steps - 500, steps);
      assertTrue(
          lateTime <= 1.5 * earlyTime * latePast / earlyPast,
          what + ": time per token grew faster than the past\n" + text);
    }

    private long median(int from, int to) {
      long[] part = Arrays.copyOfRange(nanos, from, to);
      Arrays.sort(part);
      return part[part.length / 2];
    }

    private static long median(List<Usage> usages, ToLongFunction<Usage> value) {
      long[] values = usages.stream().mapToLong(value).sorted().toArray();
      return values[values.length / 2];
    }
  }

  private static long residentBytes() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("VmRSS:")) {
          return Long.parseLong(line.replaceAll("\\D", "")) << 10;
        }
      }
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    return 0;
  }
}
