package oclc.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import oclc.cli.support.Oclc;
import oclc.cli.support.Oclc.Result;
import oclc.cli.support.OclcProcess;
import oclc.cli.support.TestDevice;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two processes compiling the same model at once into one empty kernel cache (each into its own
 * artifact): both succeed, both artifacts verify, the cache holds only whole entries, and a third
 * compile finds every kernel cached.
 */
class ConcurrentCompileTest {
  private static final Path MODEL = Path.of("..", "examples", "gpt2-tiny-past", "model.onnx");

  @TempDir Path folder;

  @Test
  void twoCompilesShareOneCache() throws Exception {
    TestDevice.context();
    Path cache = folder.resolve("cache");
    List<Process> compiles = new ArrayList<>();
    for (String name : List.of("a.oclc", "b.oclc")) {
      compiles.add(
          OclcProcess.start(
              "compile",
              MODEL.toString(),
              "--device",
              "cpu",
              "--out",
              folder.resolve(name).toString(),
              "--cache-dir",
              cache.toString()));
    }
    for (Process compile : compiles) {
      assertEquals(0, compile.waitFor(), "a concurrent compile's exit status");
    }
    for (String name : List.of("a.oclc", "b.oclc")) {
      Result verified = Oclc.run("verify", folder.resolve(name).toString());
      assertEquals(0, verified.exitCode(), name + ": " + verified.err());
    }
    Result cacheVerified = Oclc.run("cache", "verify", "--cache-dir", cache.toString());
    assertEquals(0, cacheVerified.exitCode(), cacheVerified.out());
    assertTrue(cacheVerified.out().contains(" 0 damaged"), cacheVerified.out());
    Result third =
        Oclc.run(
            "compile",
            MODEL.toString(),
            "--device",
            "cpu",
            "--out",
            folder.resolve("c.oclc").toString(),
            "--cache-dir",
            cache.toString());
    assertEquals(0, third.exitCode(), third.err());
    assertTrue(third.out().contains("(0 built, "), third.out());
  }
}
