package oclc.ir.ops;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import oclc.ir.Attributes;
import oclc.ir.DType;
import oclc.ir.Dim;
import oclc.ir.EvaluationContext;
import oclc.ir.InferenceContext;
import oclc.ir.NodeRewrite;
import oclc.ir.Shape;
import oclc.ir.Tensor;
import oclc.ir.TensorType;
import oclc.ir.ops.ContribAttentionMask.Form;

/**
 * com.microsoft Attention, as ONNX Runtime's transformer optimizer writes it for GPT-2 and BERT:
 * the input [batch, seq, in] times the packed weights [in, q + k + v] plus bias gives Q, K and V
 * (widths {@code qkv_hidden_sizes}, equal thirds by default), split into {@code num_heads} heads;
 * {@code past} [2, batch, heads, past, head] stacks the cached keys and values, {@code present} [2,
 * batch, heads, past + seq, head] the same with the new ones behind. Scores are Q·Kᵀ·scale (default
 * 1/√head) plus the mask's bias ({@link ContribAttentionMask}: {@code mask_index}, {@code
 * unidirectional}, {@code mask_filter_value}) plus {@code attention_bias} [batch or 1, heads or 1,
 * seq, total], added in float as ONNX Runtime adds them (a filter value as low as float's lowest
 * swamps the scores: a row it hides wholly is uniform). Output [batch, seq, v]. Rotary embedding
 * and the shared past/present buffer are not supported.
 *
 * <p>It decomposes into default-domain ops: MatMul and Add for the projections, Slices, Reshapes
 * and Transposes for the heads, the new keys and values as one stack Concat-ed behind the past's
 * (the present), one Transpose of it (which reads a KV cache through its strides) and Gathers of
 * its keys and values, the mask's bias from the key and query positions, and MatMul, Mul, Add,
 * Softmax and MatMul for the attention itself (no ONNX Attention: its guard for rows of −∞ is not
 * needed where the bias is finite, and its causal mask needs static lengths).
 */
final class MicrosoftAttentionOp implements MicrosoftOp {
  private static final int INPUT = 0;
  private static final int WEIGHTS = 1;
  private static final int BIAS = 2;
  private static final int MASK = 3;
  private static final int PAST = 4;
  private static final int ATTENTION_BIAS = 5;
  private static final int PAST_LENGTH = 6;

  @Override
  public String opType() {
    return "Attention";
  }

  /** The widths of Q, K and V and the head count, from the attributes and the weights' width. */
  private record Widths(long q, long k, long v, long heads) {
    static Widths of(
        Attributes a, long packed, java.util.function.Function<String, RuntimeException> error) {
      long heads = a.getInt("num_heads");
      long[] sizes = a.getInts("qkv_hidden_sizes", new long[0]);
      if (sizes.length == 0) {
        if (packed % 3 != 0) {
          throw error.apply("the weights' width " + packed + " is not three equal parts");
        }
        sizes = new long[] {packed / 3, packed / 3, packed / 3};
      }
      if (sizes.length != 3
          || sizes[0] + sizes[1] + sizes[2] != packed
          || sizes[0] != sizes[1]
          || heads <= 0
          || sizes[0] % heads != 0
          || sizes[2] % heads != 0) {
        throw error.apply(
            "qkv_hidden_sizes "
                + java.util.Arrays.toString(sizes)
                + " must be Q and K of one width and V, each a multiple of num_heads "
                + heads
                + ", summing to the weights' width "
                + packed);
      }
      return new Widths(sizes[0], sizes[1], sizes[2], heads);
    }

    long head() {
      return q / heads;
    }

    long valueHead() {
      return v / heads;
    }

    double scale(Attributes a) {
      float scale = a.getFloat("scale", 0);
      return scale == 0 ? 1 / Math.sqrt(head()) : scale;
    }
  }

  @Override
  public List<TensorType> inferTypes(InferenceContext context) {
    var a = context.attributes();
    if (a.getInt("do_rotary", 0) != 0
        || a.getInt("past_present_share_buffer", 0) != 0
        || context.hasInput(PAST_LENGTH)) {
      throw context.error(
          "Attention with do_rotary or a past and present sharing one buffer is not supported");
    }
    TensorType input = context.inputType(INPUT);
    Shape weights = context.inputShape(WEIGHTS);
    if (input.rank() != 3 || weights.rank() != 2 || !weights.dim(1).isConstant()) {
      throw context.error(
          "Attention takes an input [batch, seq, hidden] and weights [hidden, q + k + v] of known"
              + " width; got "
              + input
              + " and "
              + context.inputType(WEIGHTS));
    }
    context.unify(weights.dim(0), input.shape().dim(2), "the weights' rows are the input's width");
    Widths widths = Widths.of(a, weights.dim(1).constant(), context::error);
    if (context.hasInput(BIAS)) {
      Shape bias = context.inputShape(BIAS);
      if (bias.rank() != 1) {
        throw context.error("Attention's bias must be [q + k + v]; got " + bias);
      }
      context.unify(bias.dim(0), weights.dim(1), "the bias is as wide as the weights");
    }
    Dim batch = input.shape().dim(0);
    Dim seq = input.shape().dim(1);
    Dim heads = Dim.of(widths.heads());
    Dim past = Dim.of(0);
    if (context.hasInput(PAST)) {
      Shape p = context.inputShape(PAST);
      if (p.rank() != 5) {
        throw context.error(
            "Attention's past must be [2, batch, heads, past, head], with keys and values of one"
                + " width; got "
                + p);
      }
      context.unify(p.dim(0), Dim.of(2), "the past stacks keys and values");
      context.unify(p.dim(1), batch, "the past's batch");
      context.unify(p.dim(2), heads, "the past's heads");
      context.unify(p.dim(4), Dim.of(widths.head()), "the past's head size");
      past = p.dim(3);
    }
    if ((context.hasInput(PAST) || context.outputCount() > 1) && widths.k() != widths.v()) {
      throw context.error(
          "Attention's past and present stack keys and values: qkv_hidden_sizes "
              + java.util.Arrays.toString(new long[] {widths.q(), widths.k(), widths.v()})
              + " must give K and V one width");
    }
    Dim total = past.plus(seq);
    maskForm(context, batch, seq, total, true);
    if (context.hasInput(ATTENTION_BIAS)) {
      if (context.hasInput(PAST)) {
        throw context.error("Attention takes attention_bias or a past, not both (as ONNX Runtime)");
      }
      Shape bias = context.inputShape(ATTENTION_BIAS);
      if (bias.rank() != 4 || context.inputDType(ATTENTION_BIAS) != input.dtype()) {
        throw context.error(
            "Attention's attention_bias must be [batch or 1, heads or 1, seq, total] of the input's"
                + " type; got "
                + context.inputType(ATTENTION_BIAS));
      }
      context.unify(bias.dim(2), seq, "attention_bias's rows are the queries");
      context.unify(bias.dim(3), total, "attention_bias's columns are the keys");
    }
    List<TensorType> out = new ArrayList<>();
    out.add(new TensorType(input.dtype(), Shape.of(batch, seq, Dim.of(widths.v()))));
    if (context.outputCount() > 1) {
      out.add(
          new TensorType(
              input.dtype(), Shape.of(Dim.of(2), batch, heads, total, Dim.of(widths.valueHead()))));
    }
    return out;
  }

  /**
   * The mask's form, its dims unified with the batch's, queries' and keys' ({@code unify}: false
   * once inference has, as a decomposition sees the mask's declared dims).
   */
  private static Form maskForm(
      InferenceContext context, Dim batch, Dim seq, Dim total, boolean unify) {
    if (!context.hasInput(MASK)) {
      return Form.NONE;
    }
    if (context.inputDType(MASK) != DType.INT32) {
      throw context.error("Attention's mask_index must be int32; got " + context.inputType(MASK));
    }
    Shape mask = context.inputShape(MASK);
    return ContribAttentionMask.form(
            mask,
            batch,
            seq,
            total,
            (x, y) -> !unify || context.unify(x, y, "mask_index").isPresent())
        .orElseThrow(
            () ->
                context.error(
                    "mask_index "
                        + mask
                        + " is none of the forms ONNX Runtime's CPU kernel takes: [batch],"
                        + " [2·batch], [batch, total], [batch, seq, total]"));
  }

  @Override
  public List<Tensor> evaluate(EvaluationContext context) {
    var a = context.attributes();
    Tensor input = context.input(INPUT);
    Tensor weights = context.input(WEIGHTS);
    Tensor bias = context.optionalInput(BIAS).orElse(null);
    Tensor mask = context.optionalInput(MASK).orElse(null);
    Tensor past = context.optionalInput(PAST).orElse(null);
    Tensor attentionBias = context.optionalInput(ATTENTION_BIAS).orElse(null);
    long batch = input.dim(0);
    long seq = input.dim(1);
    long width = input.dim(2);
    long packed = weights.dim(1);
    Widths w = Widths.of(a, packed, context::error);
    long pastLength = past == null ? 0 : past.dim(3);
    Form form =
        ContribAttentionMask.form(
                mask == null ? null : Shape.of(mask.shape()),
                Dim.of(batch),
                Dim.of(seq),
                Dim.of(pastLength + seq),
                Dim::equals)
            .orElseThrow(() -> context.error("mask_index of an unsupported shape"));
    boolean causal = a.getInt("unidirectional", 0) != 0;
    double filter = a.getFloat("mask_filter_value", -10000f);
    // The projections: [batch, seq, q + k + v].
    Tensor qkv = Tensor.allocate(DType.FLOAT64, batch, seq, packed);
    for (int row = 0; row < batch * seq; row++) {
      for (int c = 0; c < packed; c++) {
        double sum = bias == null ? 0 : bias.getDouble(c);
        for (int i = 0; i < width; i++) {
          sum +=
              input.getDouble((int) (row * width + i)) * weights.getDouble((int) (i * packed + c));
        }
        qkv.setDouble((int) (row * packed + c), sum);
      }
    }
    long heads = w.heads();
    Tensor keys =
        ContribAttentionCore.append(
            stacked(past, 0), ContribAttentionCore.heads(qkv, w.q(), heads, w.head()));
    Tensor values =
        ContribAttentionCore.append(
            stacked(past, 1), ContribAttentionCore.heads(qkv, w.q() + w.k(), heads, w.valueHead()));
    Tensor y =
        ContribAttentionCore.attend(
            input.dtype(),
            ContribAttentionCore.heads(qkv, 0, heads, w.head()),
            keys,
            values,
            w.scale(a),
            0,
            (b, n, i, j) ->
                ContribAttentionMask.bias(
                        form,
                        mask,
                        causal,
                        filter,
                        batch,
                        seq,
                        pastLength,
                        pastLength + seq,
                        b,
                        i,
                        j)
                    + ContribAttentionCore.attentionBias(attentionBias, b, n, i, j));
    if (context.outputCount() < 2) {
      return List.of(y);
    }
    // The keys' [batch, heads, total, head] elements, then the values'.
    Tensor present = Tensor.allocate(input.dtype(), 2, batch, heads, pastLength + seq, w.head());
    for (int e = 0; e < keys.size(); e++) {
      present.setDouble(e, keys.getDouble(e));
      present.setDouble(keys.size() + e, values.getDouble(e));
    }
    return List.of(y, present);
  }

  /** The past's keys (0) or values (1) as [batch, heads, past, head]; null without a past. */
  private static Tensor stacked(Tensor past, int which) {
    if (past == null) {
      return null;
    }
    long half = past.size() / 2;
    Tensor out = Tensor.allocate(DType.FLOAT64, past.dim(1), past.dim(2), past.dim(3), past.dim(4));
    for (int e = 0; e < half; e++) {
      out.setDouble(e, past.getDouble((int) (which * half + e)));
    }
    return out;
  }

  @Override
  public boolean decompose(NodeRewrite rewrite) {
    InferenceContext context = rewrite.context();
    var a = context.attributes();
    TensorType input = context.inputType(INPUT);
    Widths w = Widths.of(a, context.inputShape(WEIGHTS).dim(1).constant(), context::error);
    Dim batch = input.shape().dim(0);
    Dim seq = input.shape().dim(1);
    boolean hasPast = context.hasInput(PAST);
    Dim past = hasPast ? context.inputShape(PAST).dim(3) : Dim.of(0);
    Form form = maskForm(context, batch, seq, past.plus(seq), false);
    DType dtype = input.dtype();
    long packedWidth = w.q() + w.k() + w.v();

    String packed = rewrite.add("qkv", "MatMul", rewrite.input(INPUT), rewrite.input(WEIGHTS));
    if (context.hasInput(BIAS)) {
      packed = rewrite.add("qkv_biased", "Add", packed, rewrite.input(BIAS));
    }
    String q =
        ContribAttentionCore.headNodes(rewrite, "q", packed, 0, w.q(), packedWidth, w.heads());
    String keysTransposed;
    String values;
    if (w.k() == w.v()) {
      // K and V as one stack [2, batch, heads, seq, head], behind the past's: the present.
      String stack =
          rewrite.add(
              "kv_stacked",
              "Transpose",
              ContribAttentionCore.ints("perm", 2, 0, 3, 1, 4),
              rewrite.add(
                  "kv_split",
                  "Reshape",
                  rewrite.add(
                      "kv",
                      "Slice",
                      packed,
                      rewrite.constant("kv_start", Tensor.ofLongs(new long[] {1}, w.q())),
                      rewrite.constant("kv_end", Tensor.ofLongs(new long[] {1}, packedWidth)),
                      rewrite.constant("last_axis", Tensor.ofLongs(new long[] {1}, 2))),
                  ContribAttentionMask.shape(rewrite, "kv", 0, 0, 2, w.heads(), w.head())));
      if (hasPast) {
        stack =
            rewrite.addAs(
                rewrite.output(1),
                "present",
                "Concat",
                ContribAttentionMask.integer("axis", 3),
                rewrite.input(PAST),
                stack);
      } else if (!rewrite.output(1).isEmpty()) {
        stack = rewrite.addAs(rewrite.output(1), "present", "Identity", Attributes.NONE, stack);
      }
      // The stack read through one Transpose (Kᵀ and Vᵀ side by side), never gathered from
      // directly: a Transpose reads a KV cache through its strides, so the present can be the
      // past's buffer with the new keys and values appended in place (kv-cache-append).
      String transposed =
          rewrite.add(
              "kv_transposed",
              "Transpose",
              ContribAttentionCore.ints("perm", 0, 1, 2, 4, 3),
              stack);
      keysTransposed = gather(rewrite, "keys_transposed", transposed, 0);
      values =
          rewrite.add(
              "values",
              "Transpose",
              ContribAttentionCore.ints("perm", 0, 1, 3, 2),
              gather(rewrite, "values_transposed", transposed, 1));
    } else {
      keysTransposed =
          ContribAttentionCore.transposedKeys(
              rewrite,
              ContribAttentionCore.headNodes(
                  rewrite, "k", packed, w.q(), w.k(), packedWidth, w.heads()));
      values =
          ContribAttentionCore.headNodes(
              rewrite, "v", packed, w.q() + w.k(), w.v(), packedWidth, w.heads());
    }
    String seqLength = ContribAttentionMask.length(rewrite, "seq_length", rewrite.input(INPUT), 1);
    Optional<String> bias =
        ContribAttentionMask.decompose(
            rewrite,
            form,
            rewrite.input(MASK),
            a.getInt("unidirectional", 0) != 0,
            a.getFloat("mask_filter_value", -10000f),
            dtype,
            seqLength,
            hasPast
                ? ContribAttentionMask.length(rewrite, "past_length", rewrite.input(PAST), 3)
                : rewrite.constant("no_past", Tensor.scalarLong(0)),
            seqLength);
    ContribAttentionCore.attendNodes(
        rewrite,
        rewrite.output(0),
        q,
        keysTransposed,
        values,
        w.heads(),
        w.heads(),
        w.scale(a),
        0,
        ContribAttentionCore.withAttentionBias(rewrite, bias, rewrite.input(ATTENTION_BIAS)),
        dtype);
    return true;
  }

  /** The keys (0) or values (1) of a stack: [batch, heads, ·, ·]. */
  private static String gather(NodeRewrite rewrite, String role, String stack, long index) {
    return rewrite.add(
        role,
        "Gather",
        ContribAttentionMask.integer("axis", 0),
        stack,
        rewrite.constant(role + "_index", Tensor.scalarLong(index)));
  }
}
