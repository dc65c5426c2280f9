package oclc.compiler.generate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import oclc.ir.DType;
import oclc.ir.Dim;
import oclc.ir.OclcException;
import oclc.ir.Shape;
import oclc.ir.Tensor;
import oclc.ir.TensorType;
import oclc.ir.ValueInfo;
import org.junit.jupiter.api.Test;

/** The decoder conventions found by name and shape, and the inputs of a left-padded step. */
class DecoderInputsTest {
  private static final Dim BATCH = Dim.symbol("batch");
  private static final Dim SEQUENCE = Dim.symbol("sequence");
  private static final Dim PAST = Dim.symbol("past_len");
  private static final Dim TOTAL = Dim.symbol("total");

  private static ValueInfo value(String name, DType dtype, Dim... dims) {
    return new ValueInfo(name, new TensorType(dtype, Shape.of(dims)));
  }

  @Test
  void statePairsAreFoundByNameAndGrowWhereTheirShapesDiffer() {
    List<ValueInfo> inputs =
        List.of(
            value("input_ids", DType.INT32, BATCH, SEQUENCE),
            value("attention_mask", DType.INT32, BATCH, TOTAL),
            value("position_ids", DType.INT32, BATCH, SEQUENCE),
            // ONNX Runtime GenAI's GPT-2: keys and values stacked on a leading axis of 2
            value("past_0", DType.FLOAT32, Dim.of(2), BATCH, Dim.of(4), PAST, Dim.of(8)),
            value("past_key_values.0.key", DType.FLOAT32, BATCH, Dim.of(2), PAST, Dim.of(16)),
            value("past_conv_0", DType.FLOAT32, BATCH, Dim.of(64), Dim.of(3)));
    Map<String, Shape> outputs = new LinkedHashMap<>();
    outputs.put("logits", Shape.of(BATCH, SEQUENCE, Dim.of(100)));
    outputs.put("present_0", Shape.of(Dim.of(2), BATCH, Dim.of(4), TOTAL, Dim.of(8)));
    outputs.put("present.0.key", Shape.of(BATCH, Dim.of(2), TOTAL, Dim.of(16)));
    outputs.put("present_conv_0", Shape.of(BATCH, Dim.of(64), Dim.of(3)));
    DecoderInputs decoder = DecoderInputs.of(inputs, List.copyOf(outputs.keySet()), outputs);
    assertEquals(
        List.of("present_0", "present.0.key", "present_conv_0"),
        decoder.states().stream().map(DecoderInputs.State::present).toList());
    assertEquals(
        List.of(3, 2, -1),
        decoder.states().stream().map(DecoderInputs.State::growingAxis).toList());
    assertArrayEquals(
        new long[] {2, 3, 4, 0, 8}, decoder.states().get(0).initial(3, BATCH).shape());
    assertArrayEquals(new long[] {3, 64, 3}, decoder.states().get(2).initial(3, BATCH).shape());
  }

  @Test
  void aLeftPaddedStepHasHuggingFacesMaskAndPositionsInTheDeclaredTypes() {
    DecoderInputs decoder =
        DecoderInputs.of(
            List.of(
                value("input_ids", DType.INT32, BATCH, SEQUENCE),
                value("attention_mask", DType.INT64, BATCH, TOTAL),
                value("position_ids", DType.INT64, BATCH, SEQUENCE)),
            List.of("logits"),
            Map.of());
    // row 0: two pads then 7, 8; row 1: 5, 6, 7, 8; then one decode step after those 4
    Map<String, Tensor> prefill =
        decoder.step(new long[][] {{0, 0, 7, 8}, {5, 6, 7, 8}}, 0, new int[] {2, 0}, Map.of());
    assertEquals(DType.INT32, prefill.get("input_ids").dtype());
    assertArrayEquals(
        new long[] {0, 0, 1, 1, 1, 1, 1, 1}, prefill.get("attention_mask").toLongArray());
    assertArrayEquals(
        new long[] {1, 1, 0, 1, 0, 1, 2, 3}, prefill.get("position_ids").toLongArray());
    Map<String, Tensor> decode =
        decoder.step(new long[][] {{9}, {9}}, 4, new int[] {2, 0}, Map.of());
    assertArrayEquals(new long[] {2, 5}, decode.get("attention_mask").shape());
    assertArrayEquals(
        new long[] {0, 0, 1, 1, 1, 1, 1, 1, 1, 1}, decode.get("attention_mask").toLongArray());
    assertArrayEquals(new long[] {2, 4}, decode.get("position_ids").toLongArray());
  }

  @Test
  void anInputOfNoConventionIsNamed() {
    String message =
        assertThrows(
                OclcException.class,
                () ->
                    DecoderInputs.of(
                        List.of(
                            value("input_ids", DType.INT64, BATCH, SEQUENCE),
                            value("token_type_ids", DType.INT64, BATCH, SEQUENCE)),
                        List.of("logits"),
                        Map.of()))
            .getMessage();
    assertTrue(message.startsWith("the model's input 'token_type_ids' is none of"), message);
  }
}
