package oclc.tests;

import java.nio.file.Path;
import oclc.runtime.cpu.JavaExecutable;
import oclc.tests.support.JavaDevice;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Java backend's compile of the GPT-2 decode graph for batch 1..4, prompts 1..128 and caches
 * 0..127: every variant of every node (GEMV for one row, the GEMMs for 2..16 and 17.. rows) run at
 * both ends of its size class, node by node, against the reference, on random inputs.
 */
class VariantEndsOnJavaTest {
  @Test
  void everyJavaVariantOfEveryNodeMatchesTheReferenceAtBothEndsOfItsRange(@TempDir Path folder) {
    try (JavaExecutable executable =
        JavaDevice.compile(
            Path.of("..", "examples", "gpt2-tiny-past", "model.onnx"),
            folder.resolve("gpt2.oclc"),
            SessionOnDeviceTest.GPT2_RANGES)) {
      // The products over weights have a GEMV and GEMMs; the attention products one kernel for
      // every key length.
      VariantEndsOnDeviceTest.checkEveryVariantAtBothEnds(
          executable,
          node ->
              node.variants().stream()
                  .flatMap(v -> v.dispatches().stream())
                  .anyMatch(d -> d.kernel().startsWith("gemv")));
      long productsOverWeights =
          executable.manifest().nodes().stream()
              .filter(n -> n.variants().stream().anyMatch(v -> v.name().startsWith("gemv")))
              .count();
      org.junit.jupiter.api.Assertions.assertEquals(
          9, productsOverWeights, "4 Gemm in each of 2 layers and the LM head");
    }
  }
}
