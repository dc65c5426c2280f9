package oclc.ir.ops;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import oclc.ir.Attribute;
import oclc.ir.Attributes;
import oclc.ir.DType;
import oclc.ir.Dim;
import oclc.ir.EvaluationContext;
import oclc.ir.InferenceContext;
import oclc.ir.NodeRewrite;
import oclc.ir.Shape;
import oclc.ir.Tensor;
import oclc.ir.TensorType;

/**
 * com.microsoft GroupQueryAttention, as ONNX Runtime's CPU kernel computes it: query [batch, seq,
 * heads · head] with key and value [batch, seq, kv heads · head] (or all three packed in the
 * query); past_key/past_value [batch, kv heads, past, head]; seqlens_k [batch] (int32, each batch's
 * total length − 1) and total_sequence_length (int32, one element). A batch's past is its total
 * length less seq, 0 on the first prompt (seq = total_sequence_length); its new keys and values go
 * there in the presents [batch, kv heads, past + seq, head], zeros after them. Query i attends keys
 * j ≤ past + i, and with {@code local_window_size} w > 0 only j ≥ past + i − w. Optional rotary
 * embedding of Q and K ({@code do_rotary}, cos/sin caches [positions, rotary / 2], {@code
 * rotary_interleaved}) at positions past + i; {@code softcap}; {@code scale}. ONNX Runtime's
 * presents are max(total_sequence_length, past) long: the same where the past buffer is not shared
 * (total = past + seq), as here; a past longer than the total (a shared buffer) gives oclc's
 * presents seq more zero rows. Not supported: smooth_softmax, position_ids, attention_bias, head
 * sinks.
 *
 * <p>It decomposes into Slices and Transposes for the heads, ONNX RotaryEmbedding, the presents as
 * the past masked to each batch's length plus the new rows moved to it (a MatMul by a 0/1 shift),
 * the causal and window mask as a bias of 0 and −∞ from the positions, and {@link
 * ContribAttentionCore}'s grouped attention.
 */
final class MicrosoftGroupQueryAttentionOp implements MicrosoftOp {
  private static final int QUERY = 0;
  private static final int KEY = 1;
  private static final int VALUE = 2;
  private static final int PAST_KEY = 3;
  private static final int PAST_VALUE = 4;
  private static final int SEQLENS = 5;
  private static final int TOTAL = 6;
  private static final int COS = 7;
  private static final int SIN = 8;

  @Override
  public String opType() {
    return "GroupQueryAttention";
  }

  /** Head counts and size, and whether Q, K and V come packed in the query. */
  private record Heads(long heads, long kvHeads, long head, boolean packed) {
    static Heads of(
        Attributes a,
        long queryWidth,
        boolean packed,
        java.util.function.Function<String, RuntimeException> error) {
      long heads = a.getInt("num_heads");
      long kvHeads = a.getInt("kv_num_heads");
      long parts = packed ? heads + 2 * kvHeads : heads;
      if (heads <= 0 || kvHeads <= 0 || heads % kvHeads != 0 || queryWidth % parts != 0) {
        throw error.apply(
            "GroupQueryAttention: num_heads "
                + heads
                + " must be a multiple of kv_num_heads "
                + kvHeads
                + ", and the query's width "
                + queryWidth
                + " their heads'");
      }
      return new Heads(heads, kvHeads, queryWidth / parts, packed);
    }
  }

  private static Heads heads(InferenceContext context) {
    Shape query = context.inputShape(QUERY);
    var a = context.attributes();
    if (query.rank() != 3
        || !query.dim(2).isConstant()
        || context.hasInput(KEY) != context.hasInput(VALUE)
        || context.hasInput(PAST_KEY) != context.hasInput(PAST_VALUE)
        || context.hasInput(COS) != context.hasInput(SIN)
        || (a.getInt("do_rotary", 0) != 0) != context.hasInput(COS)
        || a.getInt("smooth_softmax", 0) != 0
        || context.inputCount() > SIN + 1) {
      throw context.error(
          "GroupQueryAttention takes a query [batch, seq, hidden] of known width, key and value"
              + " together (or packed in the query), past_key and past_value together, cos and sin"
              + " caches exactly with do_rotary, and no smooth_softmax, position_ids,"
              + " attention_bias or head sink");
    }
    return Heads.of(a, query.dim(2).constant(), !context.hasInput(KEY), context::error);
  }

  @Override
  public List<TensorType> inferTypes(InferenceContext context) {
    Heads h = heads(context);
    Shape query = context.inputShape(QUERY);
    Dim batch = query.dim(0);
    Dim seq = query.dim(1);
    Dim kvWidth = Dim.of(h.kvHeads() * h.head());
    if (!h.packed()) {
      for (int input : new int[] {KEY, VALUE}) {
        Shape s = context.inputShape(input);
        context.unify(s.dim(0), batch, "the key's and value's batch");
        context.unify(s.dim(1), seq, "the key's and value's sequence");
        context.unify(s.dim(2), kvWidth, "the key's and value's width");
      }
    }
    Dim past = Dim.of(0);
    if (context.hasInput(PAST_KEY)) {
      past = context.inputShape(PAST_KEY).dim(2);
      for (int input : new int[] {PAST_KEY, PAST_VALUE}) {
        Shape s = context.inputShape(input);
        context.unify(s.dim(0), batch, "the past's batch");
        context.unify(s.dim(1), Dim.of(h.kvHeads()), "the past's kv heads");
        context.unify(s.dim(2), past, "the pasts' length");
        context.unify(s.dim(3), Dim.of(h.head()), "the past's head");
      }
    }
    if (context.inputDType(SEQLENS) != DType.INT32
        || context.inputShape(SEQLENS).rank() != 1
        || context.inputDType(TOTAL) != DType.INT32
        || !context.inputShape(TOTAL).elementCount().equals(Dim.of(1))) {
      throw context.error("seqlens_k must be int32 [batch], total_sequence_length one int32");
    }
    context.unify(context.inputShape(SEQLENS).dim(0), batch, "seqlens_k's batch");
    if (context.hasInput(COS)) {
      Shape cos = context.inputShape(COS);
      if (cos.rank() != 2
          || !cos.dim(1).isConstant()
          || 2 * cos.dim(1).constant() > h.head()
          || !context.inputShape(SIN).equals(cos)) {
        throw context.error("the cos and sin caches must be one shape [positions, ≤ head / 2]");
      }
    }
    DType dtype = context.inputDType(QUERY);
    Shape present = Shape.of(batch, Dim.of(h.kvHeads()), past.plus(seq), Dim.of(h.head()));
    return List.of(
        new TensorType(dtype, Shape.of(batch, seq, Dim.of(h.heads() * h.head()))),
        new TensorType(dtype, present),
        new TensorType(dtype, present));
  }

  @Override
  public List<Tensor> evaluate(EvaluationContext context) {
    var a = context.attributes();
    Tensor query = context.input(QUERY);
    boolean packed = !context.hasInput(KEY);
    Heads h = Heads.of(a, query.dim(2), packed, context::error);
    long batch = query.dim(0);
    long seq = query.dim(1);
    long head = h.head();
    long total = context.input(TOTAL).getLong(0);
    Tensor pastKey = context.optionalInput(PAST_KEY).orElse(null);
    long pastLength = pastKey == null ? 0 : pastKey.dim(2);
    if (total != pastLength + seq) {
      throw context.error(
          "total_sequence_length "
              + total
              + " is not past + seq = "
              + (pastLength + seq)
              + ": a shared past and present buffer is not supported");
    }
    boolean firstPrompt = seq == total;
    long[] past = new long[(int) batch];
    for (int b = 0; b < batch; b++) {
      past[b] = firstPrompt ? 0 : context.input(SEQLENS).getLong(b) + 1 - seq;
      if (past[b] < 0 || past[b] > pastLength) {
        throw context.error("seqlens_k[" + b + "] + 1 − seq is outside the past");
      }
    }
    long kvWidth = h.kvHeads() * head;
    Tensor q = ContribAttentionCore.heads(query, 0, h.heads(), head);
    Tensor k =
        ContribAttentionCore.heads(
            packed ? query : context.input(KEY), packed ? h.heads() * head : 0, h.kvHeads(), head);
    Tensor v =
        ContribAttentionCore.heads(
            packed ? query : context.input(VALUE),
            packed ? h.heads() * head + kvWidth : 0,
            h.kvHeads(),
            head);
    if (a.getInt("do_rotary", 0) != 0) {
      Tensor positions = Tensor.allocate(DType.INT64, batch, seq);
      for (int e = 0; e < positions.size(); e++) {
        positions.setLong(e, past[(int) (e / seq)] + e % seq);
      }
      Tensor cos = context.input(COS);
      long rotary = 2 * cos.dim(1);
      boolean interleaved = a.getInt("rotary_interleaved", 0) != 0;
      q =
          RotaryEmbeddingOp.rotate(
              q, cos, context.input(SIN), positions, h.heads(), rotary, interleaved);
      k =
          RotaryEmbeddingOp.rotate(
              k, cos, context.input(SIN), positions, h.kvHeads(), rotary, interleaved);
    }
    Tensor presentKey = present(query.dtype(), pastKey, k, past);
    Tensor presentValue =
        present(query.dtype(), context.optionalInput(PAST_VALUE).orElse(null), v, past);
    long window = a.getInt("local_window_size", -1);
    float scale = a.getFloat("scale", 0);
    Tensor y =
        ContribAttentionCore.attend(
            query.dtype(),
            q,
            presentKey,
            presentValue,
            scale == 0 ? 1 / Math.sqrt(head) : scale,
            a.getFloat("softcap", 0),
            (b, n, i, j) ->
                j > past[(int) b] + i || (window > 0 && j < past[(int) b] + i - window)
                    ? Double.NEGATIVE_INFINITY
                    : 0);
    return List.of(y, presentKey, presentValue);
  }

  /** Each batch's past rows, its new rows behind them, zeros after: [batch, kv heads, P + S, ·]. */
  private static Tensor present(DType dtype, Tensor past, Tensor current, long[] pastOf) {
    long batch = current.dim(0);
    long heads = current.dim(1);
    long seq = current.dim(2);
    long head = current.dim(3);
    long pastLength = past == null ? 0 : past.dim(2);
    long total = pastLength + seq;
    Tensor out = Tensor.allocate(dtype, batch, heads, total, head);
    for (long b = 0; b < batch; b++) {
      long p = pastOf[(int) b];
      for (long n = 0; n < heads; n++) {
        long bn = b * heads + n;
        for (long j = 0; j < p + seq; j++) {
          for (long d = 0; d < head; d++) {
            out.setDouble(
                (int) ((bn * total + j) * head + d),
                j < p
                    ? past.getDouble((int) ((bn * pastLength + j) * head + d))
                    : current.getDouble((int) ((bn * seq + j - p) * head + d)));
          }
        }
      }
    }
    return out;
  }

  @Override
  public boolean decompose(NodeRewrite rewrite) {
    InferenceContext context = rewrite.context();
    var a = context.attributes();
    Heads h = heads(context);
    DType dtype = context.inputDType(QUERY);
    long head = h.head();
    long qWidth = h.heads() * head;
    long kvWidth = h.kvHeads() * head;
    long width = h.packed() ? qWidth + 2 * kvWidth : qWidth;
    String query = rewrite.input(QUERY);
    String q = ContribAttentionCore.headNodes(rewrite, "q", query, 0, qWidth, width, h.heads());
    String k =
        h.packed()
            ? ContribAttentionCore.headNodes(
                rewrite, "k", query, qWidth, kvWidth, width, h.kvHeads())
            : ContribAttentionCore.headNodes(
                rewrite, "k", rewrite.input(KEY), 0, kvWidth, kvWidth, h.kvHeads());
    String v =
        h.packed()
            ? ContribAttentionCore.headNodes(
                rewrite, "v", query, qWidth + kvWidth, kvWidth, width, h.kvHeads())
            : ContribAttentionCore.headNodes(
                rewrite, "v", rewrite.input(VALUE), 0, kvWidth, kvWidth, h.kvHeads());

    // Query i's position, past + i, where a batch's past is seqlens_k + 1 − seq, 0 on the first
    // prompt (then no past, as total = past + seq): max(seqlens_k − (seq − 1 − i), i), from the
    // data, as the lengths' dims are no operands of data ops. [batch, 1, seq, 1].
    String seq = ContribAttentionMask.length(rewrite, "seq_length", query, 1);
    String zero = rewrite.constant("zero", Tensor.scalarLong(0));
    String one = rewrite.constant("one", Tensor.scalarLong(1));
    String rows = ContribAttentionMask.shape(rewrite, "rows", -1, 1);
    String offsets =
        rewrite.add(
            "query_offsets", "Reshape", rewrite.add("query_range", "Range", zero, seq, one), rows);
    String remaining =
        rewrite.add(
            "query_remaining",
            "Reshape",
            rewrite.add(
                "remaining_range",
                "Range",
                rewrite.add("last_offset", "Sub", seq, one),
                rewrite.constant("before_first", Tensor.scalarLong(-1)),
                rewrite.constant("minus_one", Tensor.scalarLong(-1))),
            rows);
    String fromLengths =
        rewrite.add(
            "positions_from_lengths",
            "Sub",
            rewrite.add(
                "batch_lengths",
                "Reshape",
                cast(rewrite, "seqlens", rewrite.input(SEQLENS)),
                ContribAttentionMask.shape(rewrite, "batch_column", -1, 1, 1, 1)),
            remaining);
    // The choice in float32 (exact for positions below 2^24), which every backend's Where takes.
    String queryPositions =
        cast(
            rewrite,
            "query_positions",
            rewrite.add(
                "query_positions_float",
                "Where",
                rewrite.add("before_prompt", "Less", fromLengths, offsets),
                toFloat(rewrite, "offsets_float", offsets),
                toFloat(rewrite, "positions_from_lengths_float", fromLengths)));
    String past =
        rewrite.add(
            "batch_past",
            "Gather",
            ContribAttentionMask.integer("axis", 2),
            queryPositions,
            rewrite.constant("first_query", Tensor.ofLongs(new long[] {1}, 0)));
    if (a.getInt("do_rotary", 0) != 0) {
      String positions =
          rewrite.add(
              "rotary_positions",
              "Reshape",
              queryPositions,
              ContribAttentionMask.shape(rewrite, "batch_rows", 0, -1));
      long rotary = 2 * context.inputShape(COS).dim(1).constant();
      Map<String, Attribute> attributes = new LinkedHashMap<>();
      attributes.put("interleaved", new Attribute.IntValue(a.getInt("rotary_interleaved", 0)));
      attributes.put("rotary_embedding_dim", new Attribute.IntValue(rotary == head ? 0 : rotary));
      Attributes rotation = new Attributes(attributes);
      q =
          rewrite.add(
              "q_rotated",
              "RotaryEmbedding",
              rotation,
              q,
              rewrite.input(COS),
              rewrite.input(SIN),
              positions);
      k =
          rewrite.add(
              "k_rotated",
              "RotaryEmbedding",
              rotation,
              k,
              rewrite.input(COS),
              rewrite.input(SIN),
              positions);
    }

    String pastLength =
        context.hasInput(PAST_KEY)
            ? ContribAttentionMask.length(rewrite, "past_buffer", rewrite.input(PAST_KEY), 2)
            : rewrite.constant("no_past", Tensor.scalarLong(0));
    String keyPositions =
        rewrite.add(
            "key_positions",
            "Range",
            zero,
            rewrite.add("present_length", "Add", pastLength, seq),
            one);
    // The new rows' places: shift[b, 0, j, s] = 1 where j = past + s.
    String shift =
        rewrite.add(
            "shift",
            "Cast",
            ContribAttentionMask.integer("to", dtype.onnxCode()),
            rewrite.add(
                "shift_places",
                "Equal",
                rewrite.add(
                    "key_rows",
                    "Reshape",
                    keyPositions,
                    ContribAttentionMask.shape(rewrite, "key_rows", -1, 1)),
                // [batch, kv heads, 1, seq]: the shift has the values' batch dims, not broadcast.
                rewrite.add(
                    "new_places",
                    "Add",
                    rewrite.add(
                        "new_columns",
                        "Reshape",
                        queryPositions,
                        ContribAttentionMask.shape(rewrite, "new_places", 0, 1, 1, -1)),
                    rewrite.constant(
                        "per_kv_head",
                        Tensor.ofLongs(
                            new long[] {1, h.kvHeads(), 1, 1}, new long[(int) h.kvHeads()])))));
    String kept =
        rewrite.add(
            "past_kept",
            "Less",
            rewrite.add(
                "key_column",
                "Reshape",
                keyPositions,
                ContribAttentionMask.shape(rewrite, "key_column", -1, 1)),
            past);
    String presentKey = present(rewrite, "key", k, PAST_KEY, 1, shift, kept, dtype);
    String presentValue = present(rewrite, "value", v, PAST_VALUE, 2, shift, kept, dtype);

    // Keys after query i's position, or (with a window w) before its position − w: −∞.
    String keysRow =
        rewrite.add(
            "key_row",
            "Reshape",
            keyPositions,
            ContribAttentionMask.shape(rewrite, "key_row", 1, 1, 1, -1));
    String hidden = rewrite.add("future", "Greater", keysRow, queryPositions);
    long window = a.getInt("local_window_size", -1);
    if (window > 0) {
      hidden =
          rewrite.add(
              "outside_window",
              "Or",
              hidden,
              rewrite.add(
                  "before_window",
                  "Less",
                  keysRow,
                  rewrite.add(
                      "window_start",
                      "Sub",
                      queryPositions,
                      rewrite.constant("window", Tensor.scalarLong(window)))));
    }
    String bias =
        rewrite.add(
            "causal_bias",
            "Where",
            hidden,
            ContribAttentionMask.scalar(rewrite, "minus_infinity", Double.NEGATIVE_INFINITY, dtype),
            ContribAttentionMask.scalar(rewrite, "unmasked", 0, dtype));
    float scale = a.getFloat("scale", 0);
    ContribAttentionCore.attendNodes(
        rewrite,
        rewrite.output(0),
        q,
        ContribAttentionCore.transposedKeys(rewrite, presentKey),
        presentValue,
        h.heads(),
        h.kvHeads(),
        scale == 0 ? 1 / Math.sqrt(head) : scale,
        a.getFloat("softcap", 0),
        Optional.of(bias),
        dtype);
    return true;
  }

  private static String toFloat(NodeRewrite rewrite, String role, String value) {
    return rewrite.add(
        role, "Cast", ContribAttentionMask.integer("to", DType.FLOAT32.onnxCode()), value);
  }

  private static String cast(NodeRewrite rewrite, String role, String value) {
    return rewrite.add(
        role, "Cast", ContribAttentionMask.integer("to", DType.INT64.onnxCode()), value);
  }

  /**
   * A present: the past's rows each batch keeps (the past padded with zeros to past + seq rows)
   * plus the new rows moved behind them by the shift [batch, kv heads, past + seq, seq], written to
   * output {@code output} if the node has it.
   */
  private static String present(
      NodeRewrite rewrite,
      String role,
      String current,
      int pastInput,
      int output,
      String shift,
      String kept,
      DType dtype) {
    String moved = rewrite.add(role + "_moved", "MatMul", shift, current);
    if (rewrite.input(pastInput).isEmpty()) {
      return rewrite.addAs(
          rewrite.output(output), "present_" + role, "Identity", Attributes.NONE, moved);
    }
    String padded =
        rewrite.add(
            role + "_past_padded",
            "Concat",
            ContribAttentionMask.integer("axis", 2),
            rewrite.input(pastInput),
            rewrite.add(
                role + "_zeros",
                "Mul",
                current,
                ContribAttentionMask.scalar(rewrite, "zero_" + dtype, 0, dtype)));
    return rewrite.addAs(
        rewrite.output(output),
        "present_" + role,
        "Add",
        Attributes.NONE,
        rewrite.add(
            role + "_past_kept",
            "Where",
            kept,
            padded,
            ContribAttentionMask.scalar(rewrite, "unmasked", 0, dtype)),
        moved);
  }
}
