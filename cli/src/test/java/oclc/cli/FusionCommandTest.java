package oclc.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import oclc.cli.support.Oclc;
import oclc.cli.support.TestDevice;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Fusion on the command line (the tests module's FusionOnDeviceTest checks what it computes). */
class FusionCommandTest {
  @TempDir Path folder;

  /**
   * The command line: compile says which way it fused, inspect and run --trace name each fused
   * launch's nodes.
   */
  @Test
  void theCommandLineSaysWhatEachFusedLaunchComputes() {
    TestDevice.context();
    Path example = Path.of("..", "examples", "gpt2-tiny-past");
    String cache = TestDevice.cache().directory().toString();
    Path fusedArtifact = folder.resolve("fused.oclc");
    Path plainArtifact = folder.resolve("plain.oclc");
    Oclc.Result fusedCompile =
        Oclc.run(
            "compile",
            example.resolve("model.onnx").toString(),
            "--device",
            "cpu",
            "--dim",
            "batch_size=1..2",
            "--out",
            fusedArtifact.toString(),
            "--cache-dir",
            cache);
    assertEquals(0, fusedCompile.exitCode(), fusedCompile.err());
    assertTrue(
        fusedCompile
            .out()
            .matches("(?s).*fusion: on \\(\\d+ nodes fused into the launches of others\\).*"),
        fusedCompile.out());
    Oclc.Result plainCompile =
        Oclc.run(
            "compile",
            example.resolve("model.onnx").toString(),
            "--device",
            "cpu",
            "--dim",
            "batch_size=1..2",
            "--no-fuse",
            "--out",
            plainArtifact.toString(),
            "--cache-dir",
            cache);
    assertEquals(0, plainCompile.exitCode(), plainCompile.err());
    assertTrue(
        plainCompile.out().contains("fusion: off (every node launched alone)"), plainCompile.out());

    Oclc.Result inspect = Oclc.run("inspect", fusedArtifact.toString());
    assertEquals(0, inspect.exitCode(), inspect.err());
    assertTrue(inspect.out().contains("fusion: on"), inspect.out());
    assertTrue(
        inspect
            .out()
            .contains(
                "  Gemm '/h.0/mlp/c_fc/Gemm'\n    fused: /h.0/mlp/c_fc/Reshape_1, /h.0/mlp/Mul,"),
        inspect.out());
    assertTrue(Oclc.run("inspect", plainArtifact.toString()).out().contains("fusion: off"));

    Oclc.Result trace =
        Oclc.run(
            "run",
            fusedArtifact.toString(),
            "--device",
            "cpu",
            "--cache-dir",
            cache,
            "--data",
            example.resolve("test_data_set_1").toString(),
            "--trace");
    assertEquals(0, trace.exitCode(), trace.out() + trace.err());
    assertTrue(
        trace
            .out()
            .matches(
                "(?s).*/h\\.0/attn/MatMul .*\\n +fused: /h\\.0/attn/Div, /h\\.0/attn/Where\\n.*"),
        trace.out());
    assertTrue(
        trace.out().contains("fused: /h.0/ln_1/Sub, /h.0/ln_1/Pow, /h.0/ln_1/ReduceMean_1"),
        trace.out());
  }
}
