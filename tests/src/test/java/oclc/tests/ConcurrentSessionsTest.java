package oclc.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import oclc.compiler.generate.Generator;
import oclc.compiler.generate.Steppers;
import oclc.compiler.generate.TokenChooser;
import oclc.runtime.CompiledModel;
import oclc.runtime.Session;
import oclc.tests.support.JavaDevice;
import oclc.tests.support.TestDevice;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One compiled model, many sessions at once (the thread-safety {@code CompiledModel} documents):
 * eight threads, each with its own session, generating eight prompts at the same time give each
 * prompt the tokens it gets alone; a session closed while the others generate disturbs none of
 * them. On both backends, with the KV cache kept in each session's own buffers.
 */
class ConcurrentSessionsTest {
  private static final Path MODEL = Path.of("..", "examples", "gpt2-tiny-past", "model.onnx");
  private static final int THREADS = 8;
  private static final int NEW_TOKENS = 24;

  @TempDir Path folder;

  @Test
  void eightSessionsOnOneOpenClExecutableGenerateAsAlone() throws Exception {
    try (CompiledModel model =
        TestDevice.compile(MODEL, folder.resolve("opencl.oclc"), SessionOnDeviceTest.GPT2_RANGES)) {
      checkConcurrentGeneration(model);
    }
  }

  @Test
  void eightSessionsOnOneJavaExecutableGenerateAsAlone() throws Exception {
    try (CompiledModel model =
        JavaDevice.compile(MODEL, folder.resolve("java.oclc"), SessionOnDeviceTest.GPT2_RANGES)) {
      checkConcurrentGeneration(model);
    }
  }

  private static void checkConcurrentGeneration(CompiledModel model) throws Exception {
    List<long[]> prompts = new ArrayList<>();
    for (int p = 0; p < THREADS; p++) {
      prompts.add(new long[] {464 + p, 329, 1 + 7 * p, 77});
    }
    List<List<Long>> alone = new ArrayList<>();
    for (long[] prompt : prompts) {
      alone.add(generate(model, prompt));
    }
    CountDownLatch started = new CountDownLatch(THREADS);
    ExecutorService pool = Executors.newFixedThreadPool(THREADS);
    try {
      List<Future<List<Long>>> together = new ArrayList<>();
      for (long[] prompt : prompts) {
        together.add(
            pool.submit(
                () -> {
                  started.countDown();
                  started.await();
                  return generate(model, prompt);
                }));
      }
      // A session opened, run and closed while the eight generate: it must disturb none of them.
      started.await();
      try (Session passing = model.newSession()) {
        Generator.generate(
            Steppers.forSession(model.manifest(), passing),
            prompts.getFirst(),
            3,
            TokenChooser.greedy());
      }
      for (int p = 0; p < THREADS; p++) {
        assertEquals(alone.get(p), together.get(p).get(), "prompt " + p + " generated at once");
      }
    } finally {
      pool.shutdownNow();
    }
  }

  private static List<Long> generate(CompiledModel model, long[] prompt) {
    try (Session session = model.newSession()) {
      return Generator.generate(
              Steppers.forSession(model.manifest(), session),
              prompt,
              NEW_TOKENS,
              TokenChooser.greedy())
          .tokens();
    }
  }
}
