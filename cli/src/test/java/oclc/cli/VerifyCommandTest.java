package oclc.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Path;
import oclc.artifact.Artifact;
import oclc.artifact.Manifest;
import oclc.cli.support.Oclc;
import oclc.cli.support.Oclc.Result;
import oclc.cli.support.TestDevice;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Damaged weights: four bytes changed inside one param of params.bin make {@code verify}, {@code
 * run} and {@code generate} fail, naming params.bin and the tensor, on both backends; the undamaged
 * artifact verifies clean.
 */
class VerifyCommandTest {
  private static final Path EXAMPLE = Path.of("..", "examples", "gpt2-tiny-past");

  @org.junit.jupiter.api.io.TempDir Path folder;

  @ParameterizedTest
  @ValueSource(strings = {"cpu", "java"})
  void aDamagedParamStopsVerifyRunAndGenerateByName(String device) throws IOException {
    if (device.equals("cpu")) {
      TestDevice.context();
    }
    Path artifact = folder.resolve("gpt2.oclc");
    String cache = folder.resolve("cache").toString();
    Result compiled =
        Oclc.run(
            "compile",
            EXAMPLE.resolve("model.onnx").toString(),
            "--device",
            device,
            "--out",
            artifact.toString(),
            "--cache-dir",
            cache);
    assertEquals(0, compiled.exitCode(), compiled.err());
    Result clean = Oclc.run("verify", artifact.toString());
    assertEquals(0, clean.exitCode(), clean.err());
    assertTrue(clean.out().contains("match their checksums"), clean.out());

    Manifest.BufferSpec victim = largestParam(artifact);
    try (RandomAccessFile params =
        new RandomAccessFile(artifact.resolve("params.bin").toFile(), "rw")) {
      params.seek(victim.offset() + victim.bytes() / 2);
      params.writeInt(0xdeadbeef);
    }
    String tensor = victim.name().split("#")[0];
    for (String[] command :
        new String[][] {
          {"verify", artifact.toString()},
          {
            "run",
            artifact.toString(),
            "--data",
            EXAMPLE.resolve("test_data_set_0").toString(),
            "--cache-dir",
            cache
          },
          {
            "generate",
            artifact.toString(),
            "--prompt-ids",
            "464,329,318",
            "--max-new-tokens",
            "4",
            "--cache-dir",
            cache
          }
        }) {
      Result damaged = Oclc.run(command);
      assertNotEquals(0, damaged.exitCode(), command[0] + ": " + damaged.out());
      assertTrue(
          damaged.err().contains("params.bin is damaged")
              && damaged.err().contains("tensor '" + tensor + "'"),
          command[0] + ": " + damaged.err());
      assertTrue(
          !damaged.out().contains("tokens:"), command[0] + " printed tokens: " + damaged.out());
    }
  }

  private static Manifest.BufferSpec largestParam(Path artifact) {
    return Artifact.read(artifact, warning -> {}).manifest().buffers().stream()
        .filter(b -> b.kind() == Manifest.BufferKind.PARAM)
        .max(java.util.Comparator.comparingLong(Manifest.BufferSpec::bytes))
        .orElseThrow();
  }
}
