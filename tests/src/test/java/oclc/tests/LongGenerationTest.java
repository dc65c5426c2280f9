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
import java.util.function.LongSupplier;
import oclc.compiler.LoadedModel;
import oclc.compiler.generate.Generator;
import oclc.compiler.generate.Steppers;
import oclc.compiler.generate.TokenChooser;
import oclc.ir.Remedy;
import oclc.ir.exec.InputShapeException;
import oclc.runtime.CompiledModel;
import oclc.runtime.Executable;
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
  void fourThousandTokensOnOpenClStayFlatAndOneMoreIsRefused() throws IOException {
    try (Executable device = TestDevice.compile(model, folder.resolve("opencl.oclc"), RANGES)) {
      generateToTheEdge("OpenCL", device, () -> 0);
    }
  }

  @Test
  void fourThousandTokensOnJavaStayFlatAndOneMoreIsRefused() throws IOException {
    try (CompiledModel java =
        JavaDevice.compile(model, folder.resolve("java.oclc"), RANGES, true)) {
      generateToTheEdge("Java", java, () -> 0);
    }
  }

  private static void generateToTheEdge(
      String backend, CompiledModel compiled, LongSupplier deviceBytes) throws IOException {
    try (Session session = compiled.newSession()) {
      Generator.Stepper cached = Steppers.forSession(compiled.manifest(), session);
      assertTrue(cached.mode().startsWith("KV cache on the device"), cached.mode());
      Probe probe = new Probe(cached, deviceBytes);
      List<Long> tokens =
          Generator.generate(probe, PROMPT, TO_THE_EDGE, TokenChooser.greedy()).tokens();
      assertEquals(expected, tokens, backend + " vs ONNX Runtime");
      probe.report(backend);

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

  /**
   * A stepper that times each step and samples memory every 250 steps: the heap in use after a
   * collection plus the direct buffers, the resident set, and the bytes of the device's buffers.
   */
  private static final class Probe implements Generator.Stepper {
    private static final int EVERY = 250;
    private final Generator.Stepper inner;
    private final LongSupplier deviceBytes;
    private final List<Long> nanos = new ArrayList<>();
    private final List<long[]> samples = new ArrayList<>();

    Probe(Generator.Stepper inner, LongSupplier deviceBytes) {
      this.inner = inner;
      this.deviceBytes = deviceBytes;
    }

    @Override
    public float[] step(long[] newTokens) {
      long start = System.nanoTime();
      float[] logits = inner.step(newTokens);
      nanos.add(System.nanoTime() - start);
      if (nanos.size() % EVERY == 0) {
        samples.add(sample(nanos.size()));
      }
      return logits;
    }

    @Override
    public String mode() {
      return inner.mode();
    }

    private long[] sample(int step) {
      System.gc();
      long heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
      long direct =
          ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class).stream()
              .mapToLong(BufferPoolMXBean::getMemoryUsed)
              .sum();
      return new long[] {step, heap + direct, resident(), deviceBytes.getAsLong()};
    }

    void report(String backend) {
      StringBuilder text = new StringBuilder("long generation " + backend + ":\n");
      for (long[] s : samples) {
        text.append(
            String.format(
                "  step %5d: heap+direct %6.2f MiB, resident %6.1f MiB, device buffers %d B%n",
                s[0], s[1] / 1048576.0, s[2] / 1048576.0, s[3]));
      }
      for (int from = 0; from < nanos.size(); from += 500) {
        int to = Math.min(nanos.size(), from + 500);
        text.append(
            String.format(
                "  steps %4d-%4d: median %.3f ms per token%n", from, to, median(from, to) / 1e6));
      }
      System.out.print(text);
    }

    long median(int from, int to) {
      long[] part = nanos.subList(from, to).stream().mapToLong(Long::longValue).toArray();
      Arrays.sort(part);
      return part[part.length / 2];
    }
  }

  private static long resident() {
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
