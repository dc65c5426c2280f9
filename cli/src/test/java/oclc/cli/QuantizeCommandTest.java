package oclc.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import oclc.cli.support.Oclc;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code oclc quantize} and {@code --weights}: the file written, its summary, the formats an
 * artifact records and {@code inspect} shows, the accuracy compile prints, and clear errors.
 */
class QuantizeCommandTest {
  private static final Path MODEL = Path.of("..", "examples", "gpt2-tiny-past", "model.onnx");
  @TempDir Path folder;

  @Test
  void quantizeWritesAnOnnxFileAndItsSummary() throws Exception {
    Path out = folder.resolve("q4.onnx");
    Oclc.Result r =
        Oclc.run(
            "quantize",
            MODEL.toString(),
            "--weights",
            "int4",
            "--block",
            "32",
            "--out",
            out.toString());
    assertEquals(0, r.exitCode(), r.out() + r.err());
    assertTrue(r.out().contains("int4 MatMulNBits b32"), r.out());
    assertTrue(r.out().contains("int4 GatherBlockQuantized b32"), r.out());
    assertTrue(r.out().contains("shares wte.weight_Q4"), "the tied head: " + r.out());
    assertTrue(r.out().contains("\nwrote " + out), r.out());
    assertTrue(r.err().contains("quantizing weights to int4"), r.err());
    assertTrue(Files.size(out) < 0.3 * Files.size(MODEL), Files.size(out) + " bytes");
    try (var files = Files.list(folder)) {
      assertEquals(1, files.count(), "no partial file is left beside it");
    }
  }

  @Test
  void keptWeightsStayAsExported() {
    Path out = folder.resolve("q8.onnx");
    Oclc.Result r =
        Oclc.run(
            "quantize",
            MODEL.toString(),
            "--weights",
            "int8",
            "--keep-fp32",
            "wte.*",
            "--out",
            out.toString());
    assertEquals(0, r.exitCode(), r.out() + r.err());
    assertTrue(
        r.out()
            .lines()
            .anyMatch(l -> l.startsWith("wte.weight") && l.contains("fp32 (kept: --keep-fp32)")),
        r.out());
    assertTrue(r.out().contains("int8 MatMulNBits b32"), r.out());
  }

  @Test
  void compileWithInt8WeightsPrintsTheAccuracyAndInspectShowsTheFormats() {
    Path artifact = folder.resolve("int8.oclc");
    Oclc.Result r =
        Oclc.run(
            "compile",
            MODEL.toString(),
            "--device",
            "java",
            "--weights",
            "int8",
            "--dim",
            "batch_size=1..1",
            "--dim",
            "sequence_length=1..16",
            "--dim",
            "past_sequence_length=0..15",
            "--out",
            artifact.toString());
    assertEquals(0, r.exitCode(), r.out() + r.err());
    assertTrue(r.out().contains("weights int8: logits relative L2 "), r.out());
    assertTrue(r.out().contains("greedy agreement 8/8 tokens"), r.out());
    assertTrue(
        r.err().contains("shares wte.weight_Q8"),
        "compiled at once, the tied head reads the embedding's quantized rows: " + r.err());
    Oclc.Result inspect = Oclc.run("inspect", artifact.toString());
    assertEquals(0, inspect.exitCode(), inspect.out() + inspect.err());
    assertTrue(
        inspect
            .out()
            .contains("/h.0/attn/c_attn/Gemm  h.0.attn.c_attn.weight_Q8  int8 MatMulNBits b32"),
        inspect.out());
    Oclc.Result plain =
        Oclc.run(
            "compile",
            MODEL.toString(),
            "--device",
            "java",
            "--dim",
            "batch_size=1..1",
            "--dim",
            "sequence_length=1..16",
            "--dim",
            "past_sequence_length=0..15",
            "--out",
            folder.resolve("fp32.oclc").toString());
    assertEquals(0, plain.exitCode(), plain.out() + plain.err());
    assertTrue(
        Oclc.run("inspect", folder.resolve("fp32.oclc").toString())
            .out()
            .contains("weights: as exported"));
  }

  @Test
  void compileWithFp16WeightsSaysTheArtifactStoresFloat32() {
    Oclc.Result r =
        Oclc.run(
            "compile",
            MODEL.toString(),
            "--device",
            "java",
            "--weights",
            "fp16",
            "--out",
            folder.resolve("fp16.oclc").toString());
    assertEquals(0, r.exitCode(), r.out() + r.err());
    assertTrue(r.out().contains("weights fp16: logits relative L2 "), r.out());
    assertTrue(r.out().contains("weights stored as float32"), r.out());
  }

  @Test
  void badInputGetsClearErrors() throws Exception {
    Path out = folder.resolve("q.onnx");
    Oclc.Result format =
        Oclc.run("quantize", MODEL.toString(), "--weights", "int3", "--out", out.toString());
    assertEquals(2, format.exitCode());
    assertTrue(
        format
            .err()
            .contains("--weights int3: not a weight format; use one of fp32, fp16, int8, int4"),
        format.err());
    Oclc.Result block =
        Oclc.run(
            "quantize",
            MODEL.toString(),
            "--weights",
            "int4",
            "--block",
            "48",
            "--out",
            out.toString());
    assertEquals(2, block.exitCode());
    assertTrue(
        block.err().contains("--block 48: the block must be a power of 2 from 16"), block.err());
    Path garbage = folder.resolve("garbage.onnx");
    Files.writeString(garbage, "not a model");
    Oclc.Result unreadable =
        Oclc.run("quantize", garbage.toString(), "--weights", "int4", "--out", out.toString());
    assertEquals(2, unreadable.exitCode());
    assertTrue(unreadable.err().contains(garbage + ": "), unreadable.err());
    Oclc.Result missing =
        Oclc.run(
            "quantize",
            folder.resolve("none.onnx").toString(),
            "--weights",
            "int4",
            "--out",
            out.toString());
    assertTrue(missing.err().contains("no such model file"), missing.err());
    Oclc.Result alone =
        Oclc.run("generate", MODEL.toString(), "--block", "64", "--prompt-ids", "1,2");
    assertTrue(alone.err().contains("--block and --keep-fp32 go with --weights"), alone.err());
    assertFalse(Files.exists(out), "nothing written on an error");
  }
}
