package oclc.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import oclc.cli.support.Oclc;
import oclc.runtime.Devices;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --device java} on the command line: compile without OpenCL, run with a trace of the Java
 * variants, generate the reference's tokens, the ops table, conformance's native and fallback
 * passes, and {@code --device cpu} on a machine without an OpenCL platform.
 */
class JavaCommandsTest {
  private static final Path MODEL = Path.of("..", "examples", "gpt2-tiny-past", "model.onnx");
  @TempDir Path folder;

  private Path compileJava() {
    Path artifact = folder.resolve("gpt2.oclc");
    Oclc.Result r =
        Oclc.run(
            "compile",
            MODEL.toString(),
            "--device",
            "java",
            "--dim",
            "batch_size=1..4",
            "--dim",
            "sequence_length=1..128",
            "--dim",
            "past_sequence_length=0..127",
            "--out",
            artifact.toString());
    assertEquals(0, r.exitCode(), r.out() + r.err());
    assertTrue(
        r.out().contains("for java (Vector API)")
            && r.out().contains("0 nodes on the reference fallback"),
        r.out());
    return artifact;
  }

  @Test
  void compileForJavaLoadsNoOpenClClass() throws IOException, InterruptedException {
    String javaBinary = ProcessHandle.current().info().command().orElse("java");
    List<String> command =
        new ArrayList<>(
            List.of(
                javaBinary,
                "--add-modules",
                "jdk.incubator.vector",
                "-verbose:class",
                "-cp",
                System.getProperty("java.class.path"),
                "oclc.cli.Main",
                "compile",
                MODEL.toString(),
                "--device",
                "java",
                "--dim",
                "batch_size=1..2",
                "--out",
                folder.resolve("x.oclc").toString()));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(process.waitFor(120, TimeUnit.SECONDS));
    assertEquals(
        0, process.exitValue(), output.lines().filter(l -> !l.startsWith("[")).toList().toString());
    assertTrue(output.contains("oclc.codegen.cpu.JavaLowering"), "the class log is there");
    assertFalse(
        output.contains("org.jocl."),
        "no JOCL class was loaded: "
            + output.lines().filter(l -> l.contains("org.jocl")).findFirst().orElse(""));
  }

  @Test
  void conformanceCountsNativePassesApartFromFallbackOnes() {
    // Abs has a Java kernel; NonZero's output shape only the data decides, so it always takes the
    // fallback.
    Oclc.Result r =
        Oclc.run(
            "conformance",
            SharedData.nodeTests().resolve("test_abs").toString(),
            SharedData.nodeTests().resolve("test_nonzero_example").toString(),
            "--device",
            "java");
    assertEquals(0, r.exitCode(), r.out() + r.err());
    assertTrue(
        r.out().contains("PASS test_nonzero_example  (through the reference fallback: NonZero)"),
        r.out());
    assertTrue(
        r.out()
            .strip()
            .endsWith("2 passed (1 native, 1 through the reference fallback), 0 failed, 0 skipped"),
        r.out());
  }

  @Test
  void runTracesTheGemvForOneRowAndTheGemmForMore() {
    Path artifact = compileJava();
    Path examples = MODEL.getParent();
    Oclc.Result decode =
        Oclc.run(
            "run",
            artifact.toString(),
            "--data",
            examples.resolve("test_data_set_0").toString(),
            "--trace");
    assertEquals(0, decode.exitCode(), decode.out() + decode.err());
    assertTrue(decode.out().contains("on java (Vector API"), decode.out());
    String headLine =
        decode.out().lines().filter(l -> l.contains("/lm_head/MatMul")).findFirst().orElseThrow();
    assertTrue(headLine.contains("gemv_rows1"), headLine);
    Oclc.Result prefill =
        Oclc.run(
            "run",
            artifact.toString(),
            "--device",
            "java",
            "--data",
            examples.resolve("test_data_set_2").toString(),
            "--trace",
            "--profile");
    assertEquals(0, prefill.exitCode(), prefill.out() + prefill.err());
    headLine =
        prefill.out().lines().filter(l -> l.contains("/lm_head/MatMul")).findFirst().orElseThrow();
    assertTrue(headLine.contains("gemm_rows2..16"), headLine);
    assertTrue(prefill.out().contains("device time:"), prefill.out());
  }

  @Test
  void attentionsTransposedKeysAreReadInPlaceAndOtherTransposesCopied() {
    Path artifact = compileJava();
    Oclc.Result inspect = Oclc.run("inspect", artifact.toString());
    assertEquals(0, inspect.exitCode(), inspect.err());
    // Kᵀ (read only as the scores product's right operand): a permuted view of the KV cache, no
    // copy
    assertTrue(
        inspect.out().contains("Transpose '/h.0/attn/Transpose_3'\n    view\n"), inspect.out());
    // the heads' transposes feed other ops: copied
    assertTrue(inspect.out().contains("Transpose '/h.0/attn/Transpose'\n    copy"), inspect.out());
    // and the scores computed through the view are the model's (every set)
    for (int set = 0; set < 5; set++) {
      Oclc.Result r =
          Oclc.run(
              "run",
              artifact.toString(),
              "--data",
              MODEL.getParent().resolve("test_data_set_" + set).toString());
      assertEquals(0, r.exitCode(), "set " + set + ": " + r.out() + r.err());
    }
  }

  @Test
  void anArtifactForJavaIsRefusedOnOpenClWithTheDeviceToUse() {
    Path artifact = compileJava();
    Oclc.Result r =
        Oclc.run(
            "run",
            artifact.toString(),
            "--device",
            "cpu",
            "--data",
            MODEL.resolveSibling("test_data_set_0").toString());
    if (Devices.list().isEmpty()) {
      assertEquals(0, r.exitCode(), r.err()); // no OpenCL here: cpu is java
      return;
    }
    assertEquals(2, r.exitCode(), r.out() + r.err());
    assertTrue(
        r.err().contains("compiled for the java backend") && r.err().contains("--device java"),
        r.err());
  }

  @Test
  void generateOnJavaGivesTheReferenceTokens() {
    String[] prompt = {"--prompt-ids", "464,329,1,77", "--max-new-tokens", "12"};
    Oclc.Result reference =
        Oclc.run(
            concat(new String[] {"generate", MODEL.toString(), "--device", "reference"}, prompt));
    Oclc.Result java =
        Oclc.run(concat(new String[] {"generate", MODEL.toString(), "--device", "java"}, prompt));
    assertEquals(0, java.exitCode(), java.out() + java.err());
    assertTrue(java.out().contains("KV cache"), java.out());
    assertEquals(tokens(reference.out()), tokens(java.out()));
  }

  private static String tokens(String out) {
    return out.lines()
        .filter(l -> l.startsWith("tokens: "))
        .findFirst()
        .orElseThrow(() -> new AssertionError(out));
  }

  private static String[] concat(String[] a, String[] b) {
    String[] all = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, all, a.length, b.length);
    return all;
  }

  @Test
  void withoutAnOpenClPlatformCpuRunsOnJavaWithOneNotice() {
    String saved = System.getProperty(Devices.HIDE_PROPERTY);
    System.setProperty(Devices.HIDE_PROPERTY, "true");
    try {
      Oclc.Result r =
          Oclc.run(
              "run",
              MODEL.toString(),
              "--device",
              "cpu",
              "--data",
              MODEL.resolveSibling("test_data_set_1").toString());
      assertEquals(0, r.exitCode(), r.out() + r.err());
      List<String> notices = r.err().lines().filter(l -> l.contains("no OpenCL platform")).toList();
      assertEquals(1, notices.size(), r.err());
      assertTrue(notices.getFirst().contains("Java (Vector API) backend"), notices.getFirst());
      assertTrue(r.out().contains("on java (Vector API") && r.out().contains(": ok"), r.out());
    } finally {
      if (saved == null) {
        System.clearProperty(Devices.HIDE_PROPERTY);
      } else {
        System.setProperty(Devices.HIDE_PROPERTY, saved);
      }
    }
  }

  @Test
  void opsSaysHowTheJavaBackendComputesEachOp() {
    Oclc.Result r = Oclc.run("ops");
    assertEquals(0, r.exitCode(), r.err());
    for (String op :
        List.of(
            "MatMul",
            "Gemm",
            "Softmax",
            "LayerNormalization",
            "Add",
            "Tanh",
            "Pow",
            "ReduceMean")) {
      String line = r.out().lines().filter(l -> l.startsWith(op + " ")).findFirst().orElseThrow();
      assertTrue(line.trim().endsWith("vector"), line);
    }
    String nonZero =
        r.out().lines().filter(l -> l.startsWith("NonZero ")).findFirst().orElseThrow();
    assertTrue(nonZero.endsWith("reference fallback"), nonZero);
    assertTrue(
        r.out()
            .lines()
            .anyMatch(l -> l.contains("on the java backend's scalar reference fallback")),
        r.out());
  }
}
