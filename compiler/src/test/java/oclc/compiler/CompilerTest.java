package oclc.compiler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import oclc.artifact.Manifest;
import oclc.ir.OclcException;
import oclc.ir.Remedy;
import oclc.lowering.SizeRanges;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The compiler API as a Java user calls it: options with defaults, the artifact and its summary,
 * flagless errors.
 */
class CompilerTest {
  private static final Path EXAMPLE = Path.of("..", "examples", "gpt2-tiny-past", "model.onnx");

  @TempDir Path folder;

  @Test
  void aCompileForJavaWritesTheArtifactForTheRangesGivenAndSaysWhatItWrote() {
    Path out = folder.resolve("tiny.oclc");
    List<String> notices = new ArrayList<>();
    CompileResult result =
        Compiler.compile(
            EXAMPLE,
            CompileOptions.defaults()
                .withDevice("java")
                .withOut(out)
                .withDim("batch_size", 1, 2)
                .withListener(
                    new CompileListener() {
                      @Override
                      public void warning(String text) {
                        notices.add(text);
                      }
                    }));
    assertEquals(out, result.artifact());
    assertTrue(Files.isRegularFile(out.resolve("manifest.json")), "the artifact is written");
    assertTrue(result.onJava());
    assertEquals(Manifest.JAVA, result.manifest().backend());
    Manifest.SymbolRange batch =
        result.manifest().symbols().stream()
            .filter(s -> s.name().equals("batch_size"))
            .findFirst()
            .orElseThrow();
    assertEquals(List.of(1L, 2L), List.of(batch.min(), batch.max()));
    List<String> summary = result.summary();
    assertEquals(
        "compiled " + EXAMPLE + " -> " + out + " for java (Vector API)", summary.getFirst());
    assertTrue(
        summary.stream().anyMatch(l -> l.startsWith("  sizes: ") && l.contains("batch_size=1..2")),
        summary.toString());
    assertTrue(
        summary.stream().anyMatch(l -> l.startsWith("  fusion: on (")),
        "fused by default: " + summary);
    assertTrue(summary.getLast().startsWith("  time: "), summary.toString());
    assertEquals(List.of(), notices);
  }

  @Test
  void withoutFusionEveryNodeIsLaunchedAloneAndTheManifestSaysSo() {
    CompileResult result =
        Compiler.compile(
            EXAMPLE,
            CompileOptions.defaults()
                .withDevice("java")
                .withOut(folder.resolve("plain.oclc"))
                .withDim("batch_size", 1, 1)
                .withFuse(false));
    assertFalse(result.manifest().fusion());
    assertTrue(
        result.summary().contains("  fusion: off (every node launched alone)"),
        result.summary().toString());
  }

  @Test
  void userKernelsOnJavaAreRefusedWithTheRemedyAndNoFlag() {
    OclcException error =
        assertThrows(
            OclcException.class,
            () ->
                Compiler.compile(
                    EXAMPLE,
                    CompileOptions.defaults()
                        .withDevice("java")
                        .withOut(folder.resolve("x.oclc"))
                        .withDim("batch_size", 1, 1)
                        .withKernels(
                            List.of(
                                "MatMul=" + Path.of("..", "examples", "kernels", "dense.cl")))));
    assertEquals(Remedy.USE_OPENCL_DEVICE, error.remedy().orElseThrow());
    assertFalse(
        error.getMessage().contains("--"), "the compiler names no flag: " + error.getMessage());
    assertFalse(Files.exists(folder.resolve("x.oclc")), "nothing is written");
  }

  @Test
  void aKernelForAnOpTheModelLacksIsRefusedByName() {
    OclcException error =
        assertThrows(
            OclcException.class,
            () ->
                Compiler.compile(
                    EXAMPLE,
                    CompileOptions.defaults()
                        .withDevice("java")
                        .withOut(folder.resolve("y.oclc"))
                        .withDim("batch_size", 1, 1)
                        .withKernels(
                            List.of("Conv=" + Path.of("..", "examples", "kernels", "dense.cl")))));
    assertTrue(
        error.getMessage().startsWith("user kernel Conv=")
            && error.getMessage().contains("no Conv node"),
        error.getMessage());
  }

  @Test
  void theOptionsAreImmutableAndTheDefaultsStayTheDefaults() {
    CompileOptions defaults = CompileOptions.defaults();
    CompileOptions narrowed =
        defaults.withDim("batch_size", 1, 4).withFuse(false).withVerify(false);
    assertEquals(Map.of(), defaults.dims());
    assertTrue(
        defaults.fuse()
            && defaults.verify()
            && !defaults.embedBinaries()
            && !defaults.trainStartCache());
    assertEquals("cpu", defaults.device());
    assertEquals(Map.of("batch_size", new SizeRanges.Interval(1, 4)), narrowed.dims());
    assertThrows(
        UnsupportedOperationException.class,
        () -> narrowed.dims().put("x", new SizeRanges.Interval(1, 1)));
    assertEquals(CompileListener.SILENT, defaults.withListener(null).listener());
  }

  @Test
  void theTextFormsParseAndTheirErrorsNameTheTextNotAFlag() {
    assertEquals(
        Map.of("batch_size", new SizeRanges.Interval(1, 4)),
        Specs.dimRanges(List.of("batch_size=1..4")));
    assertEquals(
        List.of(new SizeRanges.Interval(1, 1), new SizeRanges.Interval(2, 16)),
        Specs.bucketCuts(List.of("sequence_length=1,2..16")).get("sequence_length"));
    OclcException error =
        assertThrows(OclcException.class, () -> Specs.dimRanges(List.of("batch_size")));
    assertEquals("batch_size: write NAME=VALUE, e.g. sequence_length=1..128", error.getMessage());
    assertEquals("gpt2-tiny-past.oclc", Specs.defaultArtifactName(EXAMPLE));
    assertEquals("x.oclc", Specs.defaultArtifactName(Path.of("x.onnx")));
  }
}
