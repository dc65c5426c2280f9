package oclc.tests;

import ai.onnxruntime.OrtException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.UnaryOperator;
import oclc.ir.DType;
import oclc.ir.Tensor;
import oclc.ir.ops.MicrosoftOps;
import oclc.tests.support.AgainstOnnxRuntime;
import oclc.tests.support.OneNodeModel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * ONNX Runtime's com.microsoft attention operators, each as a one-node model with symbolic batch,
 * sequence and past, against ONNX Runtime on random inputs at several shapes, on every backend:
 * every mask form and attribute ONNX Runtime's CPU kernel takes.
 */
class MicrosoftAttentionOpsTest {
  private static final double FLOAT32_BOUND = 1e-5;
  private static final int HIDDEN = 16;
  private static final int HEADS = 4;
  private static final int HEAD = HIDDEN / HEADS;

  /** Batch, sequence and past lengths of the input sets. */
  private static final long[][] SHAPES = {{1, 1, 3}, {2, 5, 2}, {3, 1, 7}, {1, 6, 1}};

  @TempDir Path directory;

  /** The form of the attention mask an input set carries. */
  private enum Mask {
    NONE,
    KEY_END,
    KEY_END_START,
    KEY_PADDING,
    DUMMY,
    QUERY_KEY
  }

  /** One model variant: its mask, whether it has a past and present, and its extra attributes. */
  private record Variant(
      String name, Mask mask, boolean past, long batch, UnaryOperator<OneNodeModel> attributes) {
    Variant(String name, Mask mask, boolean past, UnaryOperator<OneNodeModel> attributes) {
      this(name, mask, past, 0, attributes);
    }

    /** The batch dim: a symbol, or a number where the mask's length is twice it. */
    Object batchDim() {
      return batch == 0 ? "batch" : batch;
    }
  }

  @Test
  void gpt2FormUnidirectionalWithKeyPaddingMaskPastAndPresent() throws OrtException {
    check(
        new Variant(
            "gpt2",
            Mask.KEY_PADDING,
            true,
            m ->
                m.attribute("unidirectional", 1L)
                    .attribute("mask_filter_value", -Float.MAX_VALUE)));
  }

  @Test
  void noMaskBidirectionalWithoutPast() throws OrtException {
    check(new Variant("plain", Mask.NONE, false, m -> m));
  }

  @Test
  void causalWithoutMaskWithPastAndScale() throws OrtException {
    check(
        new Variant(
            "causal_scaled",
            Mask.NONE,
            true,
            m -> m.attribute("unidirectional", 1L).attribute("scale", 0.3f)));
  }

  @Test
  void keyEndPositions() throws OrtException {
    check(new Variant("key_end", Mask.KEY_END, true, m -> m.attribute("unidirectional", 1L)));
    check(new Variant("key_end_bidirectional", Mask.KEY_END, false, m -> m));
  }

  @Test
  void keyEndAndStartPositions() throws OrtException {
    check(new Variant("key_end_start", Mask.KEY_END_START, true, 2, m -> m));
    check(
        new Variant(
            "key_end_start_causal",
            Mask.KEY_END_START,
            false,
            3,
            m -> m.attribute("unidirectional", 1L)));
  }

  @Test
  void keyPaddingWithDefaultFilterAndWithoutPast() throws OrtException {
    check(new Variant("key_padding", Mask.KEY_PADDING, false, m -> m));
  }

  @Test
  void dummyMaskMasksNothing() throws OrtException {
    check(new Variant("dummy", Mask.DUMMY, true, m -> m.attribute("unidirectional", 1L)));
  }

  @Test
  void queryKeyMask() throws OrtException {
    check(
        new Variant(
            "query_key",
            Mask.QUERY_KEY,
            true,
            m -> m.attribute("unidirectional", 1L).attribute("mask_filter_value", -50f)));
  }

  @Test
  void valuesWiderThanKeysByQkvHiddenSizes() throws OrtException {
    Random random = new Random(23);
    int value = 2 * HIDDEN;
    Path model =
        OneNodeModel.of(MicrosoftOps.DOMAIN, "Attention")
            .input("x", DType.FLOAT32, "batch", "seq", HIDDEN)
            .weight("weights", MicrosoftOpsTest.gaussian(random, HIDDEN, 2 * HIDDEN + value))
            .weight("bias", MicrosoftOpsTest.gaussian(random, 2 * HIDDEN + value))
            .input("mask", DType.INT32, "batch", "seq")
            .output("y", DType.FLOAT32, "batch", "seq", value)
            .attribute("num_heads", (long) HEADS)
            .attribute("qkv_hidden_sizes", HIDDEN, HIDDEN, value)
            .attribute("unidirectional", 1L)
            .write(directory, "qkv_hidden_sizes");
    List<Map<String, Tensor>> inputSets = new ArrayList<>();
    for (long[] shape : SHAPES) {
      inputSets.add(
          Map.of(
              "x",
              MicrosoftOpsTest.gaussian(random, shape[0], shape[1], HIDDEN),
              "mask",
              zerosAndOnes(random, shape[0], shape[1])));
    }
    AgainstOnnxRuntime.check(model, inputSets, FLOAT32_BOUND);
  }

  /** ONNX Runtime takes attention_bias only without a past. */
  @Test
  void attentionBiasOverHeadsAndOverBatches() throws OrtException {
    for (boolean perBatch : List.of(false, true)) {
      Random random = new Random(29);
      Path model =
          OneNodeModel.of(MicrosoftOps.DOMAIN, "Attention")
              .input("x", DType.FLOAT32, "batch", "seq", HIDDEN)
              .weight("weights", MicrosoftOpsTest.gaussian(random, HIDDEN, 3 * HIDDEN))
              .weight("bias", MicrosoftOpsTest.gaussian(random, 3 * HIDDEN))
              .input("mask", DType.INT32, "batch", "seq")
              .absent()
              .input(
                  "attention_bias",
                  DType.FLOAT32,
                  perBatch ? "batch" : 1,
                  perBatch ? 1 : HEADS,
                  "seq",
                  "seq")
              .output("y", DType.FLOAT32, "batch", "seq", HIDDEN)
              .output("present", DType.FLOAT32, 2, "batch", HEADS, "seq", HEAD)
              .attribute("num_heads", (long) HEADS)
              .attribute("unidirectional", 1L)
              .write(directory, "attention_bias_" + perBatch);
      List<Map<String, Tensor>> inputSets = new ArrayList<>();
      for (long[] shape : SHAPES) {
        long total = shape[1];
        Map<String, Tensor> inputs = new HashMap<>();
        inputs.put("x", MicrosoftOpsTest.gaussian(random, shape[0], shape[1], HIDDEN));
        inputs.put("mask", zerosAndOnes(random, shape[0], total));
        inputs.put(
            "attention_bias",
            MicrosoftOpsTest.gaussian(
                random, perBatch ? shape[0] : 1, perBatch ? 1 : HEADS, shape[1], total));
        inputSets.add(inputs);
      }
      AgainstOnnxRuntime.check(model, inputSets, FLOAT32_BOUND);
    }
  }

  /** One RotaryEmbedding variant: 4-D input or 3-D, positions per token or an offset. */
  private record Rotary(
      String name,
      boolean fourD,
      boolean offset,
      long rotaryDim,
      long numHeads,
      long interleaved) {}

  @Test
  void rotaryEmbeddingInEveryForm() throws OrtException {
    for (Rotary r :
        List.of(
            new Rotary("rotary_halves", false, false, 0, HEADS, 0),
            new Rotary("rotary_interleaved", false, false, 0, HEADS, 1),
            new Rotary("rotary_offset", false, true, 0, HEADS, 0),
            new Rotary("rotary_partial", false, false, 2, HEADS, 1),
            new Rotary("rotary_partial_offset", false, true, 2, HEADS, 0),
            new Rotary("rotary_heads_from_caches", false, false, 0, 0, 0),
            new Rotary("rotary_4d", true, false, 0, 0, 1),
            new Rotary("rotary_4d_offset", true, true, 0, 0, 0))) {
      checkRotary(r);
    }
  }

  private void checkRotary(Rotary r) throws OrtException {
    Random random = new Random(r.name().hashCode());
    long positions = 16;
    long half = (r.rotaryDim() == 0 ? HEAD : r.rotaryDim()) / 2;
    Object[] dims =
        r.fourD()
            ? new Object[] {"batch", HEADS, "seq", HEAD}
            : new Object[] {"batch", "seq", HIDDEN};
    OneNodeModel node =
        OneNodeModel.of(MicrosoftOps.DOMAIN, "RotaryEmbedding").input("x", DType.FLOAT32, dims);
    node =
        r.offset()
            ? node.input("positions", DType.INT64, 1)
            : node.input("positions", DType.INT64, "batch", "seq");
    node.weight("cos", MicrosoftOpsTest.gaussian(random, positions, half))
        .weight("sin", MicrosoftOpsTest.gaussian(random, positions, half))
        .output("y", DType.FLOAT32, dims)
        .attribute("interleaved", r.interleaved());
    if (r.numHeads() > 0) {
      node.attribute("num_heads", r.numHeads());
    }
    if (r.rotaryDim() > 0) {
      node.attribute("rotary_embedding_dim", r.rotaryDim());
    }
    Path model = node.write(directory, r.name());
    List<Map<String, Tensor>> inputSets = new ArrayList<>();
    for (long[] shape : SHAPES) {
      long batch = shape[0];
      long seq = shape[1];
      Tensor ids =
          Tensor.allocate(DType.INT64, r.offset() ? new long[] {1} : new long[] {batch, seq});
      for (int i = 0; i < ids.size(); i++) {
        ids.setLong(i, random.nextInt((int) (positions - seq)));
      }
      inputSets.add(
          Map.of(
              "x",
              r.fourD()
                  ? MicrosoftOpsTest.gaussian(random, batch, HEADS, seq, HEAD)
                  : MicrosoftOpsTest.gaussian(random, batch, seq, HIDDEN),
              "positions",
              ids));
    }
    AgainstOnnxRuntime.check(model, inputSets, FLOAT32_BOUND);
  }

  /**
   * One MultiHeadAttention variant: the mask, whether it has pasts (self attention) or keys of
   * their own length (cross attention, 4-D when {@code headsGiven}), its extra attributes.
   */
  private record Mha(
      String name,
      Mask mask,
      boolean past,
      boolean cross,
      boolean headsGiven,
      boolean attentionBias,
      UnaryOperator<OneNodeModel> attributes) {}

  @Test
  void multiHeadAttentionInEveryForm() throws OrtException {
    UnaryOperator<OneNodeModel> causal = m -> m.attribute("unidirectional", 1L);
    for (Mha v :
        List.of(
            new Mha("mha_plain", Mask.NONE, false, false, false, false, m -> m),
            new Mha("mha_decoder", Mask.KEY_PADDING, true, false, false, false, causal),
            new Mha(
                "mha_decoder_lowest",
                Mask.KEY_PADDING,
                true,
                false,
                false,
                false,
                m -> causal.apply(m).attribute("mask_filter_value", -Float.MAX_VALUE)),
            new Mha("mha_key_lengths", Mask.KEY_END, true, false, false, false, m -> m),
            new Mha("mha_query_key", Mask.QUERY_KEY, false, false, false, false, causal),
            new Mha(
                "mha_attention_bias_scaled",
                Mask.NONE,
                false,
                false,
                false,
                true,
                m -> m.attribute("scale", 0.2f)),
            new Mha("mha_cross", Mask.KEY_PADDING, false, true, false, false, m -> m),
            new Mha("mha_cross_heads", Mask.NONE, false, true, true, false, m -> m))) {
      checkMha(v);
    }
  }

  private void checkMha(Mha v) throws OrtException {
    Random random = new Random(v.name().hashCode());
    Object kv = v.cross() ? "kv" : "seq";
    Object total = v.past() ? "total" : kv;
    Object[] keyDims =
        v.headsGiven()
            ? new Object[] {"batch", HEADS, kv, HEAD}
            : new Object[] {"batch", kv, HIDDEN};
    OneNodeModel node =
        OneNodeModel.of(MicrosoftOps.DOMAIN, "MultiHeadAttention")
            .input("q", DType.FLOAT32, "batch", "seq", HIDDEN)
            .input("k", DType.FLOAT32, keyDims)
            .input("v", DType.FLOAT32, keyDims);
    node =
        v.headsGiven()
            ? node.absent()
            : node.weight("bias", MicrosoftOpsTest.gaussian(random, 3 * HIDDEN));
    node =
        switch (v.mask()) {
          case KEY_END -> node.input("mask", DType.INT32, "batch");
          case KEY_PADDING -> node.input("mask", DType.INT32, "batch", total);
          case QUERY_KEY -> node.input("mask", DType.INT32, "batch", "seq", total);
          default -> node.absent();
        };
    node =
        v.attentionBias()
            ? node.input("attention_bias", DType.FLOAT32, 1, HEADS, "seq", total)
            : node.absent();
    if (v.past()) {
      node.input("past_key", DType.FLOAT32, "batch", HEADS, "past", HEAD)
          .input("past_value", DType.FLOAT32, "batch", HEADS, "past", HEAD);
    }
    node.output("y", DType.FLOAT32, "batch", "seq", HIDDEN);
    if (v.past()) {
      node.output("present_key", DType.FLOAT32, "batch", HEADS, total, HEAD)
          .output("present_value", DType.FLOAT32, "batch", HEADS, total, HEAD);
    }
    Path model =
        v.attributes().apply(node.attribute("num_heads", (long) HEADS)).write(directory, v.name());
    List<Map<String, Tensor>> inputSets = new ArrayList<>();
    for (long[] shape : SHAPES) {
      long b = shape[0];
      long seq = shape[1];
      long kvLength = v.cross() ? shape[2] + 1 : seq;
      long past = v.past() ? shape[2] : 0;
      long keys = kvLength + past;
      Map<String, Tensor> inputs = new HashMap<>();
      inputs.put("q", MicrosoftOpsTest.gaussian(random, b, seq, HIDDEN));
      long[] kvShape =
          v.headsGiven() ? new long[] {b, HEADS, kvLength, HEAD} : new long[] {b, kvLength, HIDDEN};
      inputs.put("k", MicrosoftOpsTest.gaussian(random, kvShape));
      inputs.put("v", MicrosoftOpsTest.gaussian(random, kvShape));
      switch (v.mask()) {
        case KEY_END -> inputs.put("mask", positions(random, b, keys, false));
        case KEY_PADDING -> inputs.put("mask", zerosAndOnes(random, b, keys));
        case QUERY_KEY -> inputs.put("mask", zerosAndOnes(random, b, seq, keys));
        default -> {}
      }
      if (v.attentionBias()) {
        inputs.put("attention_bias", MicrosoftOpsTest.gaussian(random, 1, HEADS, seq, keys));
      }
      if (v.past()) {
        inputs.put("past_key", MicrosoftOpsTest.gaussian(random, b, HEADS, past, HEAD));
        inputs.put("past_value", MicrosoftOpsTest.gaussian(random, b, HEADS, past, HEAD));
      }
      inputSets.add(inputs);
    }
    AgainstOnnxRuntime.check(model, inputSets, FLOAT32_BOUND);
  }

  /**
   * One GroupQueryAttention variant: packed or not, with a past (decoding, some batches shorter
   * than the past when {@code ragged}) or a first prompt, rotary or not, its extra attributes.
   */
  private record Gqa(
      String name,
      boolean packed,
      boolean past,
      boolean ragged,
      long rotary,
      UnaryOperator<OneNodeModel> attributes) {}

  private static final int GQA_HEADS = 4;
  private static final int GQA_KV_HEADS = 2;
  private static final int GQA_HEAD = 32;

  @Test
  void groupQueryAttentionInEveryForm() throws OrtException {
    for (Gqa v :
        List.of(
            new Gqa("gqa_prompt", false, false, false, 0, m -> m),
            new Gqa("gqa_prompt_packed", true, false, false, 0, m -> m),
            new Gqa("gqa_decode", false, true, false, 0, m -> m),
            new Gqa("gqa_decode_ragged", false, true, true, 0, m -> m),
            new Gqa("gqa_rotary_prompt", false, false, false, 32, m -> m),
            new Gqa(
                "gqa_rotary_decode_interleaved",
                true,
                true,
                true,
                16,
                m -> m.attribute("rotary_interleaved", 1L)),
            new Gqa(
                "gqa_window_softcap_scale",
                false,
                true,
                false,
                0,
                m ->
                    m.attribute("local_window_size", 2L)
                        .attribute("softcap", 3.0f)
                        .attribute("scale", 0.4f)),
            new Gqa(
                "gqa_prompt_window",
                false,
                false,
                false,
                0,
                m -> m.attribute("local_window_size", 3L)))) {
      try {
        checkGqa(v);
      } catch (RuntimeException e) {
        throw new AssertionError(v.name() + ": " + e, e);
      }
    }
  }

  private void checkGqa(Gqa v) throws OrtException {
    Random random = new Random(v.name().hashCode());
    int qWidth = GQA_HEADS * GQA_HEAD;
    int kvWidth = GQA_KV_HEADS * GQA_HEAD;
    Object total = v.past() ? "total" : "seq";
    OneNodeModel node =
        OneNodeModel.of(MicrosoftOps.DOMAIN, "GroupQueryAttention")
            .input("q", DType.FLOAT32, "batch", "seq", v.packed() ? qWidth + 2 * kvWidth : qWidth);
    node =
        v.packed()
            ? node.absent().absent()
            : node.input("k", DType.FLOAT32, "batch", "seq", kvWidth)
                .input("v", DType.FLOAT32, "batch", "seq", kvWidth);
    node =
        v.past()
            ? node.input("past_key", DType.FLOAT32, "batch", GQA_KV_HEADS, "past", GQA_HEAD)
                .input("past_value", DType.FLOAT32, "batch", GQA_KV_HEADS, "past", GQA_HEAD)
            : node.absent().absent();
    node.input("seqlens_k", DType.INT32, "batch").input("total_sequence_length", DType.INT32, 1);
    if (v.rotary() > 0) {
      node.weight("cos", MicrosoftOpsTest.gaussian(random, 32, v.rotary() / 2))
          .weight("sin", MicrosoftOpsTest.gaussian(random, 32, v.rotary() / 2))
          .attribute("do_rotary", 1L);
    }
    node.output("y", DType.FLOAT32, "batch", "seq", qWidth)
        .output("present_key", DType.FLOAT32, "batch", GQA_KV_HEADS, total, GQA_HEAD)
        .output("present_value", DType.FLOAT32, "batch", GQA_KV_HEADS, total, GQA_HEAD)
        .attribute("num_heads", (long) GQA_HEADS)
        .attribute("kv_num_heads", (long) GQA_KV_HEADS);
    Path model = v.attributes().apply(node).write(directory, v.name());
    List<Map<String, Tensor>> inputSets = new ArrayList<>();
    for (long[] shape : SHAPES) {
      long b = shape[0];
      // Decoding takes one token at a time; a first prompt any number.
      long seq = v.past() ? 1 : shape[1];
      long past = v.past() ? shape[2] + 2 : 0;
      Map<String, Tensor> inputs = new HashMap<>();
      inputs.put(
          "q",
          MicrosoftOpsTest.gaussian(random, b, seq, v.packed() ? qWidth + 2 * kvWidth : qWidth));
      if (!v.packed()) {
        inputs.put("k", MicrosoftOpsTest.gaussian(random, b, seq, kvWidth));
        inputs.put("v", MicrosoftOpsTest.gaussian(random, b, seq, kvWidth));
      }
      if (v.past()) {
        inputs.put("past_key", MicrosoftOpsTest.gaussian(random, b, GQA_KV_HEADS, past, GQA_HEAD));
        inputs.put(
            "past_value", MicrosoftOpsTest.gaussian(random, b, GQA_KV_HEADS, past, GQA_HEAD));
      }
      Tensor seqlens = Tensor.allocate(DType.INT32, b);
      for (int i = 0; i < b; i++) {
        // Each batch's total length − 1: all of past + seq, or (ragged) some less but the first.
        long length = past + seq - (v.ragged() && i > 0 ? random.nextInt((int) past) : 0);
        seqlens.setDouble(i, length - 1);
      }
      inputs.put("seqlens_k", seqlens);
      inputs.put("total_sequence_length", Tensor.ofLongs(DType.INT32, new long[] {1}, past + seq));
      inputSets.add(inputs);
    }
    AgainstOnnxRuntime.check(model, inputSets, FLOAT32_BOUND);
  }

  private void check(Variant variant) throws OrtException {
    Random random = new Random(variant.name().hashCode());
    Object batch = variant.batchDim();
    Object total = variant.past() ? "total" : "seq";
    OneNodeModel node =
        OneNodeModel.of(MicrosoftOps.DOMAIN, "Attention")
            .input("x", DType.FLOAT32, batch, "seq", HIDDEN)
            .weight("weights", MicrosoftOpsTest.gaussian(random, HIDDEN, 3 * HIDDEN))
            .weight("bias", MicrosoftOpsTest.gaussian(random, 3 * HIDDEN));
    node =
        switch (variant.mask()) {
          case NONE -> variant.past() ? node.absent() : node;
          case KEY_END -> node.input("mask", DType.INT32, batch);
          case KEY_END_START -> node.input("mask", DType.INT32, 2 * variant.batch());
          case KEY_PADDING -> node.input("mask", DType.INT32, batch, total);
          case DUMMY -> node.input("mask", DType.INT32, batch, 1);
          case QUERY_KEY -> node.input("mask", DType.INT32, batch, "seq", total);
        };
    if (variant.past()) {
      node.input("past", DType.FLOAT32, 2, batch, HEADS, "past", HEAD);
    }
    node.output("y", DType.FLOAT32, batch, "seq", HIDDEN);
    if (variant.past()) {
      node.output("present", DType.FLOAT32, 2, batch, HEADS, total, HEAD);
    }
    Path model =
        variant
            .attributes()
            .apply(node.attribute("num_heads", (long) HEADS))
            .write(directory, variant.name());
    List<Map<String, Tensor>> inputSets = new ArrayList<>();
    for (long[] shape : SHAPES) {
      long b = variant.batch() == 0 ? shape[0] : variant.batch();
      long seq = shape[1];
      long past = variant.past() ? shape[2] : 0;
      long keys = seq + past;
      Map<String, Tensor> inputs = new HashMap<>();
      inputs.put("x", MicrosoftOpsTest.gaussian(random, b, seq, HIDDEN));
      if (variant.past()) {
        inputs.put("past", MicrosoftOpsTest.gaussian(random, 2, b, HEADS, past, HEAD));
      }
      switch (variant.mask()) {
        case NONE -> {}
        case KEY_END -> inputs.put("mask", positions(random, b, keys, false));
        case KEY_END_START -> inputs.put("mask", positions(random, b, keys, true));
        case KEY_PADDING -> inputs.put("mask", zerosAndOnes(random, b, keys));
        case DUMMY -> inputs.put("mask", zerosAndOnes(random, b, 1));
        case QUERY_KEY -> inputs.put("mask", zerosAndOnes(random, b, seq, keys));
      }
      inputSets.add(inputs);
    }
    AgainstOnnxRuntime.check(model, inputSets, FLOAT32_BOUND);
  }

  /** Mostly ones, a quarter zeros: rows wholly hidden now and then. */
  private static Tensor zerosAndOnes(Random random, long... shape) {
    Tensor t = Tensor.allocate(DType.INT32, shape);
    for (int i = 0; i < t.size(); i++) {
      t.setDouble(i, random.nextInt(4) == 0 ? 0 : 1);
    }
    return t;
  }

  /** End positions in [1, keys] per batch, then (with starts) start positions before them. */
  private static Tensor positions(Random random, long batch, long keys, boolean starts) {
    Tensor t = Tensor.allocate(DType.INT32, starts ? 2 * batch : batch);
    for (int b = 0; b < batch; b++) {
      int end = 1 + random.nextInt((int) keys);
      t.setDouble(b, end);
      if (starts) {
        t.setDouble((int) batch + b, random.nextInt(end));
      }
    }
    return t;
  }
}
