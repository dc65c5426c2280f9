package oclc.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import oclc.cli.support.Oclc;
import oclc.ir.Tensor;
import oclc.onnx.OnnxTensors;
import oclc.onnx.proto.OnnxProto.GraphProto;
import oclc.onnx.proto.OnnxProto.ModelProto;
import oclc.onnx.proto.OnnxProto.NodeProto;
import oclc.onnx.proto.OnnxProto.OperatorSetIdProto;
import oclc.onnx.proto.OnnxProto.TensorShapeProto;
import oclc.onnx.proto.OnnxProto.TypeProto;
import oclc.onnx.proto.OnnxProto.ValueInfoProto;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line as a user meets it: exit codes, one-line errors, the inspect contract. */
class CliTest {
  @TempDir Path folder;

  private record Result(int exitCode, String out, String err) {}

  private static Result oclc(String... args) {
    Oclc.Result r = Oclc.run(args);
    return new Result(r.exitCode(), r.out(), r.err());
  }

  private static Path model(String name) {
    return SharedData.models().resolve(name).resolve("model.onnx");
  }

  @Test
  void inspectJsonHasNoShapeNodeLeftAndKeyLengthsAsExpressions() {
    Result r = oclc("inspect", model("gpt2-tiny-past-opset16").toString(), "--json");
    assertEquals(0, r.exitCode(), r.err());
    String json = r.out();
    String opsAfter =
        json.substring(json.indexOf("\"ops_after\""), json.indexOf("\"assumptions\""));
    String opsBefore =
        json.substring(json.indexOf("\"ops_before\""), json.indexOf("\"ops_after\""));
    assertTrue(opsBefore.contains("\"Shape\": 48"), opsBefore);
    assertFalse(opsAfter.contains("\"Shape\""), opsAfter);
    assertTrue(
        json.contains(
            "\"shape\": [\"batch_size\", \"4\", \"sequence_length\", \"past_sequence_length + sequence_length\"]"));
    assertTrue(json.contains("\"name\": \"input_ids\""));
  }

  @Test
  void runReportsEachOutputAndPassesWithinTolerance() {
    Path model = model("gpt2-tiny-past-opset16");
    Result r =
        oclc(
            "run",
            model.toString(),
            "--device",
            "reference",
            "--data",
            model.resolveSibling("test_data_set_1").toString());
    assertEquals(0, r.exitCode(), r.out() + r.err());
    assertTrue(r.out().contains("logits") && r.out().contains("relative L2 error"), r.out());
  }

  @Test
  void runExitsOneWhenAnOutputIsOffBeyondTolerance() throws IOException {
    Path model = model("gpt2-tiny-nopast-opset16");
    Path data = folder.resolve("test_data_set_0");
    Files.createDirectories(data);
    Path source = model.resolveSibling("test_data_set_0");
    Files.copy(source.resolve("input_0.pb"), data.resolve("input_0.pb"));
    for (int k = 0; Files.exists(source.resolve("output_" + k + ".pb")); k++) {
      Tensor expected = OnnxTensors.read(source.resolve("output_" + k + ".pb")).tensor();
      Tensor perturbed = expected.copy();
      if (k == 0) {
        perturbed.setDouble(0, expected.getDouble(0) + 1.0); // one logit off by a lot
      }
      OnnxTensors.write(data.resolve("output_" + k + ".pb"), "", perturbed);
    }
    Result r = oclc("run", model.toString(), "--data", data.toString());
    assertEquals(1, r.exitCode(), r.out());
    assertTrue(r.out().contains("ABOVE"), r.out());
  }

  @Test
  void aWrongInputShapeNamesTheInputAndItsSymbolicShape() throws IOException {
    Path model = model("gpt2-tiny-nopast-opset16");
    Path data = folder.resolve("test_data_set_0");
    Files.createDirectories(data);
    OnnxTensors.write(
        data.resolve("input_0.pb"), "input_ids", Tensor.ofLongs(new long[] {3}, 1, 2, 3));
    Result r = oclc("run", model.toString(), "--data", data.toString());
    assertEquals(2, r.exitCode());
    assertEquals(
        "error: input 'input_ids' is int64[3], but the model expects int64[batch_size, sequence_length]",
        r.err().strip());
  }

  @Test
  void aPromptLongerThanThePositionTableIsRefusedWithTheAssumption() throws IOException {
    Path model = model("gpt2-tiny-nopast-opset16");
    Path data = folder.resolve("test_data_set_0");
    Files.createDirectories(data);
    long[] ids = new long[130];
    Arrays.fill(ids, 7);
    OnnxTensors.write(
        data.resolve("input_0.pb"), "input_ids", Tensor.ofLongs(new long[] {1, 130}, ids));
    Result r = oclc("run", model.toString(), "--data", data.toString());
    assertEquals(2, r.exitCode());
    assertTrue(
        r.err().contains("sequence_length = 130, but the model allows at most 128"), r.err());
  }

  @Test
  void aCorruptModelIsOneClearError() throws IOException {
    byte[] whole = Files.readAllBytes(model("gpt2-tiny-nopast-opset16"));
    Path cut = folder.resolve("cut.onnx");
    Files.write(cut, Arrays.copyOf(whole, whole.length / 3));
    Result r = oclc("inspect", cut.toString());
    assertEquals(2, r.exitCode());
    assertTrue(r.err().startsWith("error: " + cut + ": the file is truncated or corrupt"), r.err());
    assertFalse(r.err().contains("\tat "), "no stack trace");
  }

  @Test
  void everyUnsupportedOpIsListedWithItsNodes() throws IOException {
    TypeProto type =
        TypeProto.newBuilder()
            .setTensorType(
                TypeProto.Tensor.newBuilder()
                    .setElemType(1)
                    .setShape(
                        TensorShapeProto.newBuilder()
                            .addDim(TensorShapeProto.Dimension.newBuilder().setDimParam("n"))))
            .build();
    GraphProto graph =
        GraphProto.newBuilder()
            .addInput(ValueInfoProto.newBuilder().setName("x").setType(type))
            .addOutput(ValueInfoProto.newBuilder().setName("w").setType(type))
            .addNode(
                NodeProto.newBuilder()
                    .setName("fft_a")
                    .setOpType("DFT")
                    .addInput("x")
                    .addOutput("y"))
            .addNode(
                NodeProto.newBuilder()
                    .setName("relu")
                    .setOpType("Relu")
                    .addInput("y")
                    .addOutput("z"))
            .addNode(
                NodeProto.newBuilder()
                    .setName("window")
                    .setOpType("HannWindow")
                    .addInput("z")
                    .addOutput("v"))
            .addNode(
                NodeProto.newBuilder()
                    .setName("fft_b")
                    .setOpType("DFT")
                    .addInput("v")
                    .addOutput("w"))
            .build();
    Path file = folder.resolve("unsupported.onnx");
    Files.write(
        file,
        ModelProto.newBuilder()
            .setIrVersion(8)
            .setGraph(graph)
            .addOpsetImport(OperatorSetIdProto.newBuilder().setVersion(20))
            .build()
            .toByteArray());
    Result r = oclc("inspect", file.toString());
    assertEquals(2, r.exitCode());
    assertTrue(r.err().contains("2 unsupported ops"), r.err());
    assertTrue(r.err().contains("DFT (opset 20) at 2 nodes: fft_a, fft_b"), r.err());
    assertTrue(r.err().contains("HannWindow (opset 20) at node window"), r.err());
  }

  @Test
  void conformanceEndsWithTheCountsLine() {
    Result r =
        oclc("conformance", SharedData.models().resolve("gpt2-tiny-nopast-opset14").toString());
    assertEquals(0, r.exitCode(), r.out());
    String[] lines = r.out().strip().split("\n");
    assertEquals("1 passed, 0 failed, 0 skipped", lines[lines.length - 1]);
  }
}
