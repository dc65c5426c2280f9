package oclc.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import oclc.cli.support.Oclc;
import oclc.cli.support.Oclc.Result;
import oclc.cli.support.TestDevice;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * User kernels through {@code --kernel}: the shipped examples run GPT-2, a wrong one is refused
 * with its error.
 */
class CustomKernelsTest {
  private static final Path EXAMPLE = Path.of("..", "examples", "gpt2-tiny-past");
  private static final Path KERNELS = Path.of("..", "examples", "kernels");
  @TempDir Path folder;

  @BeforeEach
  void device() {
    TestDevice.context();
  }

  private Result compile(Path out, String... extra) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "compile",
                EXAMPLE.resolve("model.onnx").toString(),
                "--device",
                "cpu",
                "--out",
                out.toString(),
                "--dim",
                "batch_size=1..4",
                "--cache-dir",
                folder.resolve("cache").toString()));
    args.addAll(List.of(extra));
    return Oclc.run(args.toArray(String[]::new));
  }

  /**
   * On the example, then on every GPT-2 export of ../shared (our exporter's, the gpt2-* folders).
   */
  @Test
  void theShippedDenseKernelsComputeEveryMatMulOfTheGpt2Exports() {
    for (String kernel : List.of("dense.cl", "dense_tiled.cl")) {
      Path artifact = folder.resolve(kernel + ".oclc");
      Result compiled = compile(artifact, "--kernel", "MatMul=" + KERNELS.resolve(kernel));
      assertEquals(0, compiled.exitCode(), compiled.err());
      assertEquals(
          10,
          compiled
              .err()
              .lines()
              .filter(l -> l.startsWith("checked ") && l.endsWith("matches the reference"))
              .count(),
          "5 MatMul nodes, each at both ends: " + compiled.err());
      for (int set = 0; set < 5; set++) {
        Result r =
            Oclc.run(
                "run",
                artifact.toString(),
                "--data",
                EXAMPLE.resolve("test_data_set_" + set).toString(),
                "--trace",
                "--cache-dir",
                folder.resolve("cache").toString());
        assertEquals(0, r.exitCode(), kernel + " set " + set + ": " + r.out());
        String name = kernel.equals("dense.cl") ? "user:user_dense" : "user:user_dense_tiled";
        assertEquals(
            5,
            r.out().lines().filter(l -> l.contains(" MatMul ") && l.contains(name)).count(),
            r.out());
      }
    }
    List<String> args = new ArrayList<>(List.of("conformance"));
    List<Path> exports = SharedData.gpt2Exports();
    exports.forEach(model -> args.add(model.toString()));
    args.addAll(
        List.of(
            "--device",
            "cpu",
            "--kernel",
            "MatMul=" + KERNELS.resolve("dense_tiled.cl"),
            "--cache-dir",
            folder.resolve("cache").toString()));
    Result conformance = Oclc.run(args.toArray(String[]::new));
    assertEquals(0, conformance.exitCode(), conformance.out());
    assertTrue(
        conformance.out().strip().endsWith(exports.size() + " passed, 0 failed, 0 skipped"),
        conformance.out());
  }

  @Test
  void aKernelForOneNodeLeavesTheOthersToTheGeneratedVariants() {
    Path artifact = folder.resolve("head.oclc");
    Result compiled =
        compile(artifact, "--kernel", "node:/lm_head/MatMul=" + KERNELS.resolve("dense.cl"));
    assertEquals(0, compiled.exitCode(), compiled.err());
    Result r =
        Oclc.run(
            "run",
            artifact.toString(),
            "--data",
            EXAMPLE.resolve("test_data_set_2").toString(),
            "--trace",
            "--cache-dir",
            folder.resolve("cache").toString());
    assertEquals(0, r.exitCode(), r.out());
    assertTrue(
        r.out()
            .lines()
            .anyMatch(l -> l.contains("/lm_head/MatMul") && l.contains("user:user_dense")),
        r.out());
    assertTrue(
        r.out().lines().anyMatch(l -> l.contains("/h.0/attn/MatMul ") && l.contains("batched_r")),
        r.out());
  }

  @Test
  void aKernelWithABugIsRefusedWithTheNodeTheShapeAndTheError() throws IOException {
    Path buggy = folder.resolve("buggy.cl");
    Files.writeString(
        buggy,
        Files.readString(KERNELS.resolve("dense.cl"))
            .replace(
                "for (int p = 0; p < k; p++)",
                "for (int p = 1; p < k; p++)")); // drops the first term of every sum
    Path artifact = folder.resolve("buggy.oclc");
    Result r = compile(artifact, "--kernel", "MatMul=" + buggy);
    assertEquals(2, r.exitCode(), r.out());
    assertTrue(
        r.err().contains("kernel user_dense (") && r.err().contains("for MatMul '"), r.err());
    assertTrue(r.err().contains("float32[") && r.err().contains("relative L2 error of"), r.err());
    assertTrue(
        r.err().contains("; fix the kernel, or compile with --no-verify to keep it anyway"),
        "the command line adds the flag that keeps it: " + r.err());
    assertFalse(Files.exists(artifact), "nothing is written for a kernel that fails its check");
    Result kept = compile(artifact, "--kernel", "MatMul=" + buggy, "--no-verify");
    assertEquals(0, kept.exitCode(), kept.err());
  }

  @Test
  void aKernelThatDoesNotBuildShowsTheBuildLog() throws IOException {
    Path broken = folder.resolve("broken.cl");
    Files.writeString(
        broken,
        Files.readString(KERNELS.resolve("dense.cl"))
            .replace("float sum = 0.0f;", "float sum = 0.0f"));
    Result r = compile(folder.resolve("broken.oclc"), "--kernel", "MatMul=" + broken);
    assertEquals(2, r.exitCode(), r.out());
    assertTrue(
        r.err().contains("kernel 'user_dense' failed to build") && r.err().contains("error"),
        r.err());
  }
}
