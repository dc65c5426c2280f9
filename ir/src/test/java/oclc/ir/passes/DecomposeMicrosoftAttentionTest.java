package oclc.ir.passes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import oclc.ir.Attribute;
import oclc.ir.Attributes;
import oclc.ir.Constant;
import oclc.ir.DType;
import oclc.ir.Dim;
import oclc.ir.Graph;
import oclc.ir.Node;
import oclc.ir.Shape;
import oclc.ir.Tensor;
import oclc.ir.TensorType;
import oclc.ir.ValueInfo;
import oclc.ir.exec.Comparison;
import oclc.ir.exec.ReferenceExecutor;
import oclc.ir.ops.MicrosoftOps;
import org.junit.jupiter.api.Test;

/**
 * com.microsoft Attention, MultiHeadAttention and RotaryEmbedding: each decomposition (MatMul,
 * Softmax and the mask's bias from positions; ONNX RotaryEmbedding) evaluates to what the node's
 * own reference evaluation gives, over symbolic batch, sequence and past, for each mask form,
 * causal or not, with and without past and present. (ONNX Runtime checks both in the tests module.)
 */
class DecomposeMicrosoftAttentionTest {
  private static final int HIDDEN = 8;
  private static final int HEADS = 2;
  private static final Dim BATCH = Dim.symbol("batch");
  private static final Dim SEQ = Dim.symbol("seq");
  private static final Dim PAST = Dim.symbol("past");

  private record Case(String mask, boolean causal, boolean past) {}

  @Test
  void everyMaskFormCausalOrNotWithAndWithoutPast() {
    for (String mask : List.of("none", "key_end", "key_end_start", "key_padding", "query_key")) {
      for (boolean causal : List.of(false, true)) {
        for (boolean past : List.of(false, true)) {
          check(new Case(mask, causal, past));
        }
      }
    }
  }

  private static void check(Case c) {
    Graph typed = new InferAndFold().apply(graph(c));
    Graph decomposed = new DecomposeOps().apply(typed);
    GraphVerifier.verify(decomposed, "after decompose-ops");
    assertTrue(
        decomposed.nodes().stream().noneMatch(n -> n.domain().equals(MicrosoftOps.DOMAIN)),
        c + ": decomposed");
    assertTrue(
        Passes.runStandard(graph(c)).nodes().stream()
            .noneMatch(n -> n.opType().equals("Attention")),
        c + ": no attention node left for the fast backends");
    Random random = new Random(3);
    for (long[] bsp : new long[][] {{1, 1, 0}, {2, 3, 2}, {3, 1, 4}, {1, 5, 3}}) {
      long batch = bsp[0];
      long seq = bsp[1];
      long past = c.past() ? bsp[2] : 0;
      long total = past + seq;
      Map<String, Tensor> inputs = new HashMap<>();
      inputs.put("x", gaussian(random, batch, seq, HIDDEN));
      if (c.past()) {
        inputs.put("past", gaussian(random, 2, batch, HEADS, past, HIDDEN / HEADS));
      }
      switch (c.mask()) {
        case "key_end" -> inputs.put("mask", ints(random, total, batch));
        case "key_end_start" -> inputs.put("mask", endsAndStarts(random, total, batch));
        case "key_padding" -> inputs.put("mask", zerosAndOnes(random, batch, total));
        case "query_key" -> inputs.put("mask", zerosAndOnes(random, batch, seq, total));
        default -> {}
      }
      agree(typed, decomposed, inputs, c.toString());
    }
  }

  /** The node's reference and its decomposition's give the same outputs. */
  private static void agree(
      Graph typed, Graph decomposed, Map<String, Tensor> inputs, String what) {
    Map<String, Tensor> expected = new ReferenceExecutor().run(typed, inputs);
    Map<String, Tensor> actual = new ReferenceExecutor().run(decomposed, inputs);
    assertEquals(expected.keySet(), actual.keySet());
    for (String name : expected.keySet()) {
      var mismatch = Comparison.allClose(expected.get(name), actual.get(name), 1e-5, 1e-5);
      assertTrue(mismatch.isEmpty(), what + " " + name + ": " + mismatch.orElse(""));
    }
  }

  /** MultiHeadAttention with bias, pasts, a key padding mask and causality. */
  @Test
  void multiHeadAttentionWithPastsMaskAndCausality() {
    Random random = new Random(13);
    int head = HIDDEN / HEADS;
    Shape rows = Shape.of(BATCH, SEQ, Dim.of(HIDDEN));
    Shape pasts = Shape.of(BATCH, Dim.of(HEADS), PAST, Dim.of(head));
    Shape presents = Shape.of(BATCH, Dim.of(HEADS), PAST.plus(SEQ), Dim.of(head));
    Map<String, Attribute> attributes = new LinkedHashMap<>();
    attributes.put("num_heads", new Attribute.IntValue(HEADS));
    attributes.put("unidirectional", new Attribute.IntValue(1));
    Graph graph =
        new Graph(
            "mha",
            List.of(
                value("q", DType.FLOAT32, rows),
                value("k", DType.FLOAT32, rows),
                value("v", DType.FLOAT32, rows),
                value("mask", DType.INT32, Shape.of(BATCH, Dim.symbol("total"))),
                value("past_key", DType.FLOAT32, pasts),
                value("past_value", DType.FLOAT32, pasts)),
            List.of(
                value("y", DType.FLOAT32, rows),
                value("present_key", DType.FLOAT32, presents),
                value("present_value", DType.FLOAT32, presents)),
            List.of(
                new Node(
                    "MultiHeadAttention_0",
                    MicrosoftOps.DOMAIN,
                    "MultiHeadAttention",
                    List.of("q", "k", "v", "bias", "mask", "", "past_key", "past_value"),
                    List.of("y", "present_key", "present_value"),
                    new Attributes(attributes))),
            Map.of("bias", new Constant.Data(gaussian(random, 3 * HIDDEN))),
            Map.of(),
            List.of(),
            Map.of("", 17L, MicrosoftOps.DOMAIN, 1L));
    Graph typed = new InferAndFold().apply(graph);
    Graph decomposed = new DecomposeOps().apply(typed);
    GraphVerifier.verify(decomposed, "after decompose-ops");
    for (long[] bsp : new long[][] {{1, 1, 3}, {2, 4, 2}}) {
      Map<String, Tensor> inputs = new HashMap<>();
      for (String name : List.of("q", "k", "v")) {
        inputs.put(name, gaussian(random, bsp[0], bsp[1], HIDDEN));
      }
      inputs.put("mask", zerosAndOnes(random, bsp[0], bsp[1] + bsp[2]));
      inputs.put("past_key", gaussian(random, bsp[0], HEADS, bsp[2], head));
      inputs.put("past_value", gaussian(random, bsp[0], HEADS, bsp[2], head));
      agree(typed, decomposed, inputs, "MultiHeadAttention");
    }
  }

  /** GroupQueryAttention decoding with pasts, rotary, a window and batches of their own lengths. */
  @Test
  void groupQueryAttentionDecodingRaggedBatches() {
    Random random = new Random(19);
    int head = 4;
    Shape pasts = Shape.of(BATCH, Dim.of(1), PAST, Dim.of(head));
    Shape presents = Shape.of(BATCH, Dim.of(1), PAST.plus(SEQ), Dim.of(head));
    Map<String, Attribute> attributes = new LinkedHashMap<>();
    attributes.put("num_heads", new Attribute.IntValue(2));
    attributes.put("kv_num_heads", new Attribute.IntValue(1));
    attributes.put("do_rotary", new Attribute.IntValue(1));
    attributes.put("local_window_size", new Attribute.IntValue(2));
    Map<String, Constant> caches = new LinkedHashMap<>();
    caches.put("cos", new Constant.Data(gaussian(random, 16, head / 2)));
    caches.put("sin", new Constant.Data(gaussian(random, 16, head / 2)));
    Graph graph =
        new Graph(
            "gqa",
            List.of(
                value("q", DType.FLOAT32, Shape.of(BATCH, SEQ, Dim.of(2 * head))),
                value("k", DType.FLOAT32, Shape.of(BATCH, SEQ, Dim.of(head))),
                value("v", DType.FLOAT32, Shape.of(BATCH, SEQ, Dim.of(head))),
                value("past_key", DType.FLOAT32, pasts),
                value("past_value", DType.FLOAT32, pasts),
                value("seqlens_k", DType.INT32, Shape.of(BATCH)),
                value("total_sequence_length", DType.INT32, Shape.of(Dim.of(1)))),
            List.of(
                value("y", DType.FLOAT32, Shape.of(BATCH, SEQ, Dim.of(2 * head))),
                value("present_key", DType.FLOAT32, presents),
                value("present_value", DType.FLOAT32, presents)),
            List.of(
                new Node(
                    "GroupQueryAttention_0",
                    MicrosoftOps.DOMAIN,
                    "GroupQueryAttention",
                    List.of(
                        "q",
                        "k",
                        "v",
                        "past_key",
                        "past_value",
                        "seqlens_k",
                        "total_sequence_length",
                        "cos",
                        "sin"),
                    List.of("y", "present_key", "present_value"),
                    new Attributes(attributes))),
            caches,
            Map.of(),
            List.of(),
            Map.of("", 17L, MicrosoftOps.DOMAIN, 1L));
    Graph typed = new InferAndFold().apply(graph);
    Graph decomposed = new DecomposeOps().apply(typed);
    GraphVerifier.verify(decomposed, "after decompose-ops");
    for (long[] bsp : new long[][] {{1, 1, 3}, {3, 1, 5}, {1, 4, 2}}) {
      long batch = bsp[0];
      long seq = bsp[1];
      long past = bsp[2];
      Map<String, Tensor> inputs = new HashMap<>();
      inputs.put("q", gaussian(random, batch, seq, 2 * head));
      inputs.put("k", gaussian(random, batch, seq, head));
      inputs.put("v", gaussian(random, batch, seq, head));
      inputs.put("past_key", gaussian(random, batch, 1, past, head));
      inputs.put("past_value", gaussian(random, batch, 1, past, head));
      Tensor lengths = Tensor.allocate(DType.INT32, batch);
      for (int b = 0; b < batch; b++) {
        lengths.setDouble(b, past + seq - 1 - (b > 0 ? random.nextInt((int) past) : 0));
      }
      inputs.put("seqlens_k", lengths);
      inputs.put("total_sequence_length", Tensor.ofLongs(DType.INT32, new long[] {1}, past + seq));
      agree(typed, decomposed, inputs, "GroupQueryAttention");
    }
  }

  /** RotaryEmbedding with positions from an offset, interleaved, over a 3-D input. */
  @Test
  void rotaryEmbeddingFromAnOffset() {
    Random random = new Random(17);
    Shape rows = Shape.of(BATCH, SEQ, Dim.of(HIDDEN));
    Map<String, Attribute> attributes = new LinkedHashMap<>();
    attributes.put("num_heads", new Attribute.IntValue(HEADS));
    attributes.put("interleaved", new Attribute.IntValue(1));
    Map<String, Constant> caches = new LinkedHashMap<>();
    caches.put("cos", new Constant.Data(gaussian(random, 12, HIDDEN / HEADS / 2)));
    caches.put("sin", new Constant.Data(gaussian(random, 12, HIDDEN / HEADS / 2)));
    Graph graph =
        new Graph(
            "rotary",
            List.of(
                value("x", DType.FLOAT32, rows), value("offset", DType.INT64, Shape.of(Dim.of(1)))),
            List.of(value("y", DType.FLOAT32, rows)),
            List.of(
                new Node(
                    "RotaryEmbedding_0",
                    MicrosoftOps.DOMAIN,
                    "RotaryEmbedding",
                    List.of("x", "offset", "cos", "sin"),
                    List.of("y"),
                    new Attributes(attributes))),
            caches,
            Map.of(),
            List.of(),
            Map.of("", 17L, MicrosoftOps.DOMAIN, 1L));
    Graph typed = new InferAndFold().apply(graph);
    Graph decomposed = new DecomposeOps().apply(typed);
    GraphVerifier.verify(decomposed, "after decompose-ops");
    for (long[] bs : new long[][] {{1, 1}, {3, 4}}) {
      agree(
          typed,
          decomposed,
          Map.of(
              "x",
              gaussian(random, bs[0], bs[1], HIDDEN),
              "offset",
              Tensor.ofLongs(new long[] {1}, 5)),
          "RotaryEmbedding");
    }
  }

  private static Graph graph(Case c) {
    Random random = new Random(5);
    Dim total = c.past() ? PAST.plus(SEQ) : SEQ;
    List<ValueInfo> inputs = new ArrayList<>();
    inputs.add(value("x", DType.FLOAT32, Shape.of(BATCH, SEQ, Dim.of(HIDDEN))));
    List<String> nodeInputs = new ArrayList<>(List.of("x", "weights", "bias"));
    switch (c.mask()) {
      case "key_end" -> inputs.add(value("mask", DType.INT32, Shape.of(BATCH)));
      case "key_end_start" -> inputs.add(value("mask", DType.INT32, Shape.of(BATCH.times(2))));
      case "key_padding" ->
          inputs.add(value("mask", DType.INT32, Shape.of(BATCH, Dim.symbol("total"))));
      case "query_key" ->
          inputs.add(value("mask", DType.INT32, Shape.of(BATCH, SEQ, Dim.symbol("total"))));
      default -> {}
    }
    nodeInputs.add(c.mask().equals("none") ? "" : "mask");
    List<ValueInfo> outputs = new ArrayList<>();
    outputs.add(value("y", DType.FLOAT32, Shape.of(BATCH, SEQ, Dim.of(HIDDEN))));
    List<String> nodeOutputs = new ArrayList<>(List.of("y"));
    if (c.past()) {
      inputs.add(
          value(
              "past",
              DType.FLOAT32,
              Shape.of(Dim.of(2), BATCH, Dim.of(HEADS), PAST, Dim.of(HIDDEN / HEADS))));
      nodeInputs.add("past");
      outputs.add(
          value(
              "present",
              DType.FLOAT32,
              Shape.of(Dim.of(2), BATCH, Dim.of(HEADS), total, Dim.of(HIDDEN / HEADS))));
      nodeOutputs.add("present");
    }
    Map<String, Attribute> attributes = new LinkedHashMap<>();
    attributes.put("num_heads", new Attribute.IntValue(HEADS));
    attributes.put("unidirectional", new Attribute.IntValue(c.causal() ? 1 : 0));
    attributes.put("mask_filter_value", new Attribute.FloatValue(-1000f));
    Map<String, Constant> constants = new LinkedHashMap<>();
    constants.put("weights", new Constant.Data(gaussian(random, HIDDEN, 3 * HIDDEN)));
    constants.put("bias", new Constant.Data(gaussian(random, 3 * HIDDEN)));
    return new Graph(
        "attention",
        inputs,
        outputs,
        List.of(
            new Node(
                "Attention_0",
                MicrosoftOps.DOMAIN,
                "Attention",
                nodeInputs,
                nodeOutputs,
                new Attributes(attributes))),
        constants,
        Map.of(),
        List.of(),
        Map.of("", 11L, MicrosoftOps.DOMAIN, 1L));
  }

  private static ValueInfo value(String name, DType dtype, Shape shape) {
    return new ValueInfo(name, new TensorType(dtype, shape));
  }

  private static Tensor gaussian(Random random, long... shape) {
    Tensor t = Tensor.allocate(DType.FLOAT32, shape);
    for (int i = 0; i < t.size(); i++) {
      t.setFloat(i, (float) random.nextGaussian());
    }
    return t;
  }

  /** End positions in [1, total]. */
  private static Tensor ints(Random random, long total, long batch) {
    Tensor t = Tensor.allocate(DType.INT32, batch);
    for (int i = 0; i < batch; i++) {
      t.setDouble(i, 1 + random.nextInt((int) total));
    }
    return t;
  }

  /** End positions in [1, total], then start positions before them. */
  private static Tensor endsAndStarts(Random random, long total, long batch) {
    Tensor t = Tensor.allocate(DType.INT32, 2 * batch);
    for (int i = 0; i < batch; i++) {
      int end = 1 + random.nextInt((int) total);
      t.setDouble(i, end);
      t.setDouble((int) batch + i, random.nextInt(end));
    }
    return t;
  }

  private static Tensor zerosAndOnes(Random random, long... shape) {
    Tensor t = Tensor.allocate(DType.INT32, shape);
    for (int i = 0; i < t.size(); i++) {
      t.setDouble(i, random.nextInt(4) == 0 ? 0 : 1);
    }
    return t;
  }
}
