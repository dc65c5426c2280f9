package oclc.compiler.generate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import oclc.ir.DType;
import oclc.ir.Dim;
import oclc.ir.OclcException;
import oclc.ir.Shape;
import oclc.ir.TensorType;
import oclc.ir.ValueInfo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The names ONNX Runtime GenAI's genai_config.json gives a decoder's inputs and outputs, and the
 * decoder conventions found by them.
 */
class DecoderNamesTest {
  private static final Dim BATCH = Dim.symbol("batch");
  private static final Dim SEQUENCE = Dim.symbol("sequence");
  private static final Dim PAST = Dim.symbol("past");
  private static final Dim TOTAL = Dim.symbol("total");

  @TempDir Path folder;

  @Test
  void genaiConfigNamesTheInputsTheOutputsAndTheStatePatterns() throws IOException {
    write(
        """
        {"model": {"eos_token_id": 98, "bos_token_id": 97, "decoder": {
          "inputs": {"input_ids": "tokens", "attention_mask": "mask", "position_ids": "where",
                     "past_names": "kv_%d"},
          "outputs": {"logits": "scores", "present_names": "kv_out_%d"}}}}
        """);
    DecoderNames names = DecoderNames.find(List.of(folder));
    assertEquals(
        new DecoderNames(
            "tokens",
            "mask",
            "where",
            "scores",
            List.of(new DecoderNames.StatePattern("kv_%d", "kv_out_%d"))),
        names);
    assertEquals(Optional.of("kv_out_12"), names.presentOf("kv_12", List.of("kv_out_12")));
    assertEquals(Optional.empty(), names.presentOf("kv_x", List.of("kv_out_x")));
    assertEquals(Optional.of(97L), GenerationConfig.find(List.of(folder)).beginning());
    DecoderInputs decoder =
        DecoderInputs.of(
            List.of(
                value("tokens", DType.INT32, BATCH, SEQUENCE),
                value("mask", DType.INT32, BATCH, TOTAL),
                value("where", DType.INT32, BATCH, SEQUENCE),
                value("kv_0", DType.FLOAT32, Dim.of(2), BATCH, Dim.of(1), PAST, Dim.of(4))),
            List.of("scores", "kv_out_0"),
            Map.of(
                "scores",
                Shape.of(BATCH, SEQUENCE, Dim.of(10)),
                "kv_out_0",
                Shape.of(Dim.of(2), BATCH, Dim.of(1), TOTAL, Dim.of(4))),
            names);
    assertEquals("tokens", decoder.ids().name());
    assertEquals("mask", decoder.attentionMask().orElseThrow().name());
    assertEquals("where", decoder.positionIds().orElseThrow().name());
    assertEquals("scores", decoder.logits());
    assertEquals(
        List.of(new DecoderInputs.State(decoder.states().getFirst().past(), "kv_out_0", 3)),
        decoder.states());
  }

  @Test
  void keysAndValuesHaveTheirOwnPatterns() throws IOException {
    write(
        """
        {"model": {"decoder": {
          "inputs": {"past_key_names": "cache.%d.k", "past_value_names": "cache.%d.v"},
          "outputs": {"present_key_names": "new.%d.k", "present_value_names": "new.%d.v"}}}}
        """);
    DecoderNames names = DecoderNames.find(List.of(folder));
    assertEquals("input_ids", names.ids());
    assertEquals(Optional.of("new.3.v"), names.presentOf("cache.3.v", List.of("new.3.v")));
    assertEquals(Optional.of("new.0.k"), names.presentOf("cache.0.k", List.of("new.0.k")));
  }

  @Test
  void withoutAFileTheNamesAreHuggingFaces() {
    assertEquals(DecoderNames.HUGGING_FACE, DecoderNames.find(List.of(folder)));
  }

  @Test
  void aPastPatternWithoutItsPresentIsNamed() throws IOException {
    Path file = write("{\"model\": {\"decoder\": {\"inputs\": {\"past_names\": \"past_%d\"}}}}");
    String message =
        assertThrows(OclcException.class, () -> DecoderNames.find(List.of(folder))).getMessage();
    assertTrue(message.startsWith(file + ": past_names and present_names"), message);
  }

  private Path write(String json) throws IOException {
    return Files.writeString(folder.resolve("genai_config.json"), json);
  }

  private static ValueInfo value(String name, DType dtype, Dim... dims) {
    return new ValueInfo(name, new TensorType(dtype, Shape.of(dims)));
  }
}
