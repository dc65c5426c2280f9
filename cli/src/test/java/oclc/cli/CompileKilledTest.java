package oclc.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import oclc.artifact.Folders;
import oclc.cli.support.Oclc;
import oclc.cli.support.Oclc.Result;
import oclc.cli.support.OclcProcess;
import oclc.cli.support.TestDevice;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code oclc compile} killed with SIGKILL at several moments (loading, lowering, building and
 * caching kernels, writing, training the JVM start cache), each time into an empty kernel cache:
 * the previous artifact stays whole ({@code oclc verify} passes), the cache passes {@code oclc
 * cache verify}, and the next compile succeeds and leaves nothing of the killed ones beside it.
 */
class CompileKilledTest {
  private static final Path MODEL = Path.of("..", "examples", "gpt2-tiny-past", "model.onnx");
  private static final long[] KILL_AFTER_MILLIS = {300, 900, 1600, 2500, 3500, 5000};

  @TempDir Path folder;

  @Test
  void aKilledCompileLeavesThePreviousArtifactAndACacheThatVerify()
      throws IOException, InterruptedException {
    TestDevice.context();
    Path artifact = folder.resolve("gpt2.oclc");
    Path cache = folder.resolve("cache");
    assertEquals(0, Oclc.run(compile(artifact, cache)).exitCode());
    String previous = Files.readString(artifact.resolve("manifest.json"));
    for (long delay : KILL_AFTER_MILLIS) {
      Folders.deleteTree(cache);
      Process process = OclcProcess.start(compile(artifact, cache));
      boolean finished = process.waitFor(delay, TimeUnit.MILLISECONDS);
      if (!finished) {
        process.destroyForcibly().waitFor();
      }
      String when = "compile " + (finished ? "finished before" : "killed at") + " " + delay + " ms";
      Result verified = Oclc.run("verify", artifact.toString());
      assertEquals(0, verified.exitCode(), when + ": " + verified.err());
      assertEquals(previous, Files.readString(artifact.resolve("manifest.json")), when);
      Result cacheVerified = Oclc.run("cache", "verify", "--cache-dir", cache.toString());
      assertEquals(0, cacheVerified.exitCode(), when + ": " + cacheVerified.out());
      assertTrue(cacheVerified.out().contains(" 0 damaged"), when + ": " + cacheVerified.out());
    }
    assertEquals(0, Oclc.run(compile(artifact, cache)).exitCode());
    try (var left = Files.list(folder)) {
      assertEquals(
          List.of("cache", "gpt2.oclc"),
          left.map(p -> p.getFileName().toString()).sorted().toList(),
          "what the killed compiles left beside the artifact");
    }
  }

  /** The compile each run makes, in this JVM or in one of its own. */
  private static String[] compile(Path artifact, Path cache) {
    return new String[] {
      "compile",
      MODEL.toString(),
      "--device",
      "cpu",
      "--out",
      artifact.toString(),
      "--cache-dir",
      cache.toString()
    };
  }
}
