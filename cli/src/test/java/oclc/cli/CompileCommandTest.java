package oclc.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import oclc.cli.support.Oclc;
import oclc.cli.support.Oclc.Result;
import oclc.cli.support.TestDevice;
import oclc.onnx.proto.OnnxProto.GraphProto;
import oclc.onnx.proto.OnnxProto.ModelProto;
import oclc.onnx.proto.OnnxProto.NodeProto;
import oclc.onnx.proto.OnnxProto.OperatorSetIdProto;
import oclc.onnx.proto.OnnxProto.TensorShapeProto;
import oclc.onnx.proto.OnnxProto.TypeProto;
import oclc.onnx.proto.OnnxProto.ValueInfoProto;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code oclc compile} and running its artifact, as a user meets them: files, counts, the cache,
 * errors.
 */
class CompileCommandTest {
  private static final Path EXAMPLE = Path.of("..", "examples", "gpt2-tiny-past");
  @TempDir Path folder;
  private Path cache;

  @BeforeEach
  void device() {
    TestDevice.context(); // skips (or fails in CI) without an OpenCL device
    cache = folder.resolve("cache");
  }

  private Result compile(Path model, Path out, String... extra) {
    List<String> args =
        new java.util.ArrayList<>(
            List.of(
                "compile",
                model.toString(),
                "--device",
                "cpu",
                "--out",
                out.toString(),
                "--cache-dir",
                cache.toString()));
    args.addAll(List.of(extra));
    return Oclc.run(args.toArray(String[]::new));
  }

  @Test
  void aSecondCompileBuildsNothingAndTheArtifactHasItsFiles() {
    Path artifact = folder.resolve("gpt2.oclc");
    Result first = compile(EXAMPLE.resolve("model.onnx"), artifact, "--dim", "batch_size=1..4");
    assertEquals(0, first.exitCode(), first.err());
    assertTrue(
        first.out().matches("(?s).*kernels: (\\d+) \\(\\1 built, 0 cached\\).*"), first.out());
    assertTrue(first.err().contains("building kernels ["), "a progress bar: " + first.err());
    for (String file : List.of("manifest.json", "graph.json", "params.bin")) {
      assertTrue(Files.isRegularFile(artifact.resolve(file)), file);
    }
    assertTrue(Files.isRegularFile(artifact.resolve("kernels").resolve("gemv_w16_p4_n500_k64.cl")));
    Result second = compile(EXAMPLE.resolve("model.onnx"), artifact, "--dim", "batch_size=1..4");
    assertEquals(0, second.exitCode(), second.err());
    assertTrue(
        second.out().matches("(?s).*kernels: (\\d+) \\(0 built, \\1 cached\\).*"), second.out());
  }

  @Test
  void aCorruptCacheEntryIsReportedRebuiltAndReplaced() throws IOException {
    Path artifact = folder.resolve("gpt2.oclc");
    assertEquals(
        0, compile(EXAMPLE.resolve("model.onnx"), artifact, "--dim", "batch_size=1..4").exitCode());
    Path entry;
    try (Stream<Path> files = Files.list(cache)) {
      entry = files.filter(p -> p.toString().endsWith(".bin")).findFirst().orElseThrow();
    }
    byte[] bytes = Files.readAllBytes(entry);
    bytes[bytes.length / 2] ^= 0x5A;
    Files.write(entry, bytes);
    Result rebuilt = compile(EXAMPLE.resolve("model.onnx"), artifact, "--dim", "batch_size=1..4");
    assertEquals(0, rebuilt.exitCode(), rebuilt.err());
    assertTrue(
        rebuilt.err().contains("is damaged") && rebuilt.err().contains("rebuilding"),
        rebuilt.err());
    assertTrue(rebuilt.out().contains(" (1 built, "), rebuilt.out());
    Result again = compile(EXAMPLE.resolve("model.onnx"), artifact, "--dim", "batch_size=1..4");
    assertTrue(again.out().contains(" (0 built, "), again.out());
    assertFalse(again.err().contains("damaged"), again.err());
  }

  /**
   * The dynamic-shapes issue's acceptance: one artifact of gpt2-tiny-past-opset16 (the example is
   * that model) for prompts 1..128, caches 0..127 and batches 1..4 runs all five test sets (1x1+5,
   * 2x1+16, 1x4+7, 1x3+0, 1x1+100) without building anything again.
   */
  @Test
  void theArtifactRunsEveryTestSetOfTheExampleWithoutRebuilding() throws IOException {
    Path artifact = folder.resolve("gpt2.oclc");
    Result compiled =
        compile(
            EXAMPLE.resolve("model.onnx"),
            artifact,
            "--dim",
            "sequence_length=1..128",
            "--dim",
            "past_sequence_length=0..127",
            "--dim",
            "batch_size=1..4");
    assertEquals(0, compiled.exitCode(), compiled.err());
    List<Path> entries = cacheEntries();
    List<java.nio.file.attribute.FileTime> written = new java.util.ArrayList<>();
    for (Path e : entries) {
      written.add(Files.getLastModifiedTime(e));
    }
    for (int set = 0; set < 5; set++) {
      Result r =
          Oclc.run(
              "run",
              artifact.toString(),
              "--device",
              "cpu",
              "--data",
              EXAMPLE.resolve("test_data_set_" + set).toString(),
              "--cache-dir",
              cache.toString());
      assertEquals(0, r.exitCode(), r.out() + r.err());
      assertTrue(r.out().contains("logits") && r.out().contains(": ok"), r.out());
    }
    assertEquals(entries, cacheEntries(), "no kernel was built again");
    for (int i = 0; i < entries.size(); i++) {
      assertEquals(
          written.get(i),
          Files.getLastModifiedTime(entries.get(i)),
          entries.get(i) + " was rewritten");
    }
  }

  private List<Path> cacheEntries() throws IOException {
    try (Stream<Path> files = Files.list(cache)) {
      return files.filter(p -> p.toString().endsWith(".bin")).sorted().toList();
    }
  }

  @Test
  void inspectOfAnArtifactShowsEachNodesVariants() {
    Path artifact = folder.resolve("gpt2.oclc");
    assertEquals(
        0, compile(EXAMPLE.resolve("model.onnx"), artifact, "--dim", "batch_size=1..4").exitCode());
    Result r = Oclc.run("inspect", artifact.toString());
    assertEquals(0, r.exitCode(), r.err());
    assertTrue(r.out().contains("MatMul '/lm_head/MatMul'"), r.out());
    assertTrue(r.out().contains("gemv_w16_p4  when batch_size * sequence_length == 1"), r.out());
    // The 2..16 and 17.. classes take the same tile by default, so their variants are one.
    assertTrue(
        r.out().contains("gemm_w16_r8_p2  when 2 <= batch_size * sequence_length <= 512"), r.out());
  }

  @Test
  void profileAndTracePrintTablesOfLaunches() {
    Path artifact = folder.resolve("gpt2.oclc");
    assertEquals(
        0, compile(EXAMPLE.resolve("model.onnx"), artifact, "--dim", "batch_size=1..4").exitCode());
    Result r =
        Oclc.run(
            "run",
            artifact.toString(),
            "--data",
            EXAMPLE.resolve("test_data_set_2").toString(),
            "--profile",
            "--trace",
            "--cache-dir",
            cache.toString());
    assertEquals(0, r.exitCode(), r.out() + r.err());
    assertTrue(r.out().contains("/lm_head/MatMul") && r.out().contains("gemm_w16_r8_p2"), r.out());
    assertTrue(r.out().contains("device time:"), r.out());
  }

  @Test
  void aSymbolTheModelDoesNotBoundTakesAStatedDefaultThatTheArtifactRecords() {
    Path artifact = folder.resolve("x.oclc");
    Result r = compile(EXAMPLE.resolve("model.onnx"), artifact);
    assertEquals(0, r.exitCode(), r.out() + r.err());
    assertTrue(
        r.err()
            .contains(
                "batch_size=1..1 by default: a batch (the leading dim of input_ids); widen it with"
                    + " --dim batch_size=1..N"),
        r.err());
    assertTrue(
        r.out()
            .contains(
                "sizes: batch_size=1 (default), sequence_length=0..128 (model),"
                    + " past_sequence_length=0..128 (model)"),
        r.out());
    Result inspect = Oclc.run("inspect", artifact.toString());
    assertEquals(0, inspect.exitCode(), inspect.err());
    assertTrue(
        inspect.out().contains("  batch_size in 1..1  (default: a batch (the leading dim of"),
        inspect.out());
    assertTrue(
        inspect.out().contains("  sequence_length in 0..128  (model: past_sequence_length"),
        inspect.out());
  }

  @Test
  void nodesWithoutAnOpenClKernelAreAllListedAndNoArtifactIsLeft() throws IOException {
    TypeProto type =
        TypeProto.newBuilder()
            .setTensorType(
                TypeProto.Tensor.newBuilder()
                    .setElemType(10)
                    .setShape(
                        TensorShapeProto.newBuilder()
                            .addDim(TensorShapeProto.Dimension.newBuilder().setDimParam("n"))))
            .build();
    GraphProto graph =
        GraphProto.newBuilder()
            .addInput(ValueInfoProto.newBuilder().setName("x").setType(type))
            .addOutput(ValueInfoProto.newBuilder().setName("z").setType(type))
            .addNode(
                NodeProto.newBuilder()
                    .setName("soft")
                    .setOpType("Hardmax")
                    .addInput("x")
                    .addOutput("y"))
            .addNode(
                NodeProto.newBuilder()
                    .setName("logsoft")
                    .setOpType("Hardmax")
                    .addInput("y")
                    .addOutput("z"))
            .build();
    Path model = folder.resolve("float16.onnx");
    Files.write(
        model,
        ModelProto.newBuilder()
            .setIrVersion(8)
            .setGraph(graph)
            .addOpsetImport(OperatorSetIdProto.newBuilder().setVersion(17))
            .build()
            .toByteArray());
    Path artifact = folder.resolve("float16.oclc");
    Result r = compile(model, artifact, "--dim", "n=1..64");
    assertEquals(2, r.exitCode(), r.out());
    assertTrue(r.err().contains("cannot compute 2 nodes"), r.err());
    assertTrue(
        r.err().contains("Hardmax 'soft'") && r.err().contains("Hardmax 'logsoft'"), r.err());
    assertFalse(Files.exists(artifact), "no half-written artifact");
  }

  @Test
  void embeddedBinariesLoadWithoutTheCacheAndAnEditedKernelIsBuiltAndUsed() throws IOException {
    Path artifact = folder.resolve("gpt2.oclc");
    Result compiled =
        compile(
            EXAMPLE.resolve("model.onnx"),
            artifact,
            "--dim",
            "batch_size=1..4",
            "--embed-binaries");
    assertEquals(0, compiled.exitCode(), compiled.err());
    List<String> warnings = new java.util.ArrayList<>();
    try (var executable =
        oclc.runtime.Executable.load(
            artifact,
            TestDevice.context(),
            new oclc.cache.KernelCache(folder.resolve("empty-cache")),
            oclc.runtime.KernelBuilder.SILENT,
            warnings::add)) {
      assertEquals(
          executable.manifest().kernels().size(),
          executable.programs().count(oclc.runtime.KernelBuilder.Origin.EMBEDDED),
          "every kernel from X.oclc/bin");
    }
    // A user's own GEMV for the LM head: the same product, written back as twice the logits.
    Path gemv = artifact.resolve("kernels").resolve("gemv_w16_p4_n500_k64.cl");
    Files.writeString(
        gemv,
        Files.readString(gemv).replace("c[first + 0] = sum.s0", "c[first + 0] = 2.0f * sum.s0"));
    Result r =
        Oclc.run(
            "run",
            artifact.toString(),
            "--data",
            EXAMPLE.resolve("test_data_set_0").toString(),
            "--cache-dir",
            cache.toString());
    assertTrue(
        r.err().contains("kernel gemv_w16_p4_n500_k64: ")
            && r.err().contains("was edited after compile"),
        r.err());
    assertEquals(1, r.exitCode(), "the edited kernel ran, so the logits differ: " + r.out());
    assertTrue(r.out().contains("logits") && r.out().contains("ABOVE"), r.out());
  }
}
