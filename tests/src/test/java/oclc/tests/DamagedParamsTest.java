package oclc.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Random;
import oclc.artifact.Artifact;
import oclc.artifact.DamagedParamException;
import oclc.artifact.Manifest;
import oclc.compiler.LoadedModel;
import oclc.runtime.CompiledModel;
import oclc.runtime.Session;
import oclc.runtime.cpu.JavaExecutable;
import oclc.tests.support.Gpt2Inputs;
import oclc.tests.support.JavaDevice;
import oclc.tests.support.TestDevice;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Through the Java API: a session of an artifact whose params.bin was damaged after compile runs
 * until the background check of its params finds the damage, and from then on refuses to run,
 * naming the tensor; on both backends.
 */
class DamagedParamsTest {
  private static final Path MODEL =
      SharedData.models().resolve("gpt2-tiny-past-opset16").resolve("model.onnx");

  @TempDir Path folder;

  @Test
  void theJavaBackendStopsOnceTheCheckFindsTheDamage() throws IOException {
    Path artifact = folder.resolve("java.oclc");
    JavaDevice.compile(MODEL, artifact).close();
    String tensor = damage(artifact);
    try (JavaExecutable executable = JavaExecutable.load(artifact, JavaDevice.THREADS, w -> {})) {
      assertStopsAt(executable, tensor);
    }
  }

  @Test
  void theOpenClBackendStopsOnceTheCheckFindsTheDamage() throws IOException {
    Path artifact = folder.resolve("opencl.oclc");
    TestDevice.compile(MODEL, artifact).close();
    String tensor = damage(artifact);
    try (CompiledModel executable =
        oclc.runtime.Executable.load(
            artifact,
            TestDevice.context(),
            TestDevice.cache(),
            oclc.runtime.KernelBuilder.SILENT,
            w -> {})) {
      assertStopsAt(executable, tensor);
    }
  }

  private static void assertStopsAt(CompiledModel executable, String tensor) {
    DamagedParamException found =
        assertThrows(DamagedParamException.class, () -> executable.paramsCheck().await());
    assertEquals(tensor, found.param());
    try (Session session = executable.newSession()) {
      Gpt2Inputs.random(LoadedModel.load(MODEL).simplified(), new Random(1), 1, 3, 0)
          .forEach(session::bind);
      DamagedParamException stopped = assertThrows(DamagedParamException.class, session::run);
      assertTrue(stopped.getMessage().contains("params.bin is damaged"), stopped.getMessage());
    }
  }

  /** Changes four bytes in the middle of the largest param; returns that param's name. */
  private static String damage(Path artifact) throws IOException {
    Manifest.BufferSpec victim =
        Artifact.read(artifact, w -> {}).manifest().buffers().stream()
            .filter(b -> b.kind() == Manifest.BufferKind.PARAM)
            .max(Comparator.comparingLong(Manifest.BufferSpec::bytes))
            .orElseThrow();
    try (RandomAccessFile params =
        new RandomAccessFile(artifact.resolve(Artifact.PARAMS).toFile(), "rw")) {
      params.seek(victim.offset() + victim.bytes() / 2);
      params.writeInt(0xdeadbeef);
    }
    return victim.name();
  }
}
