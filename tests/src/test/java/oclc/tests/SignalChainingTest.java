package oclc.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import oclc.runtime.KernelBuilder;
import oclc.runtime.OpenClContext;
import oclc.runtime.SignalChaining;
import oclc.tests.support.TestDevice;
import org.jocl.CL;
import org.junit.jupiter.api.Test;

/**
 * POCL's compiler and the JVM's own SIGSEGVs: with the JVM's signal chaining preloaded (as the pom
 * gives the tests and the launcher gives oclc), builds from source succeed while other threads run
 * compiled code through safepoints. Without it, the same 40 builds failed ("unable to rename
 * temporary") or crashed the JVM in 5 runs of 5.
 */
class SignalChainingTest {
  @Test
  void theTestJvmRunsWithTheSignalChainingTheLauncherGives() {
    assertTrue(
        SignalChaining.active(),
        "libjsig is not loaded: run the tests as the README says (the pom "
            + "preloads "
            + SignalChaining.library()
            + ")");
  }

  @Test
  void theLauncherPreloadsTheChainingOnceAndKeepsWhatWasPreloaded() throws Exception {
    String library = SignalChaining.library().toString();
    assertEquals(library, preloadAfterChaining(""));
    assertEquals(library + ":/opt/other.so", preloadAfterChaining("/opt/other.so"));
    assertEquals(
        library + ":/opt/other.so", preloadAfterChaining(library + ":/opt/other.so"), "not twice");
  }

  /**
   * LD_PRELOAD after the scripts' {@code oclc_chain_signals}, which the launcher and the bench call
   * before java.
   */
  private static String preloadAfterChaining(String before) throws Exception {
    ProcessBuilder builder =
        new ProcessBuilder(
                "bash",
                "-c",
                "source scripts/java-env.sh >/dev/null && oclc_chain_signals && printf '%s' \"$LD_PRELOAD\"")
            .directory(new File(".."))
            .redirectError(ProcessBuilder.Redirect.DISCARD); // ld.so: the made-up library
    builder.environment().put("LD_PRELOAD", before);
    builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
    Process process = builder.start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(process.waitFor(60, TimeUnit.SECONDS));
    assertEquals(0, process.exitValue(), output);
    return output;
  }

  @Test
  void buildsFromSourceSucceedWhileOtherThreadsReachSafepoints() throws Exception {
    OpenClContext device = TestDevice.context();
    AtomicBoolean stop = new AtomicBoolean();
    AtomicLong sink = new AtomicLong();
    List<Thread> threads = new ArrayList<>();
    for (int t = 0; t < 3; t++) { // compiled loops, which take a SIGSEGV at every safepoint
      threads.add(
          Thread.ofPlatform()
              .daemon()
              .start(
                  () -> {
                    long x = 0;
                    while (!stop.get()) {
                      for (int k = 0; k < 1000; k++) {
                        x += k * 31L ^ x;
                      }
                      sink.addAndGet(x);
                    }
                  }));
    }
    threads.add(
        Thread.ofPlatform()
            .daemon()
            .start(
                () -> { // safepoints, often
                  while (!stop.get()) {
                    System.gc();
                    Thread.getAllStackTraces();
                  }
                }));
    // A nonce per run and build, so that POCL's own cache cannot answer and clang runs every time.
    long nonce = ThreadLocalRandom.current().nextLong();
    try {
      for (int b = 0; b < 40; b++) {
        String source =
            "__kernel void scaled(__global float* x, const float s) { x[get_global_id(0)] *= s; }\n"
                + "// build "
                + nonce
                + "-"
                + b
                + "\n";
        CL.clReleaseProgram(device.buildFromSource("scaled", source, KernelBuilder.BUILD_OPTIONS));
      }
    } finally {
      stop.set(true);
      for (Thread t : threads) {
        t.join();
      }
    }
  }
}
