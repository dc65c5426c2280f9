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
 * com.microsoft MultiHeadAttention, in the forms ONNX Runtime's CPU kernel takes: query [batch,
 * seq, hidden]; key and value [batch, kv seq, hidden] (their heads split here, optionally behind
 * past_key/past_value [batch, heads, past, head], giving present_key/present_value [batch, heads,
 * past + kv seq, head]) or already [batch, heads, kv seq, head] (cross attention, no past); bias [q
 * + k + v] added to the three of them (3-D key and value); key_padding_mask [batch] (key lengths),
 * [batch, total] or [batch, seq, total] ({@link ContribAttentionMask}, with {@code
 * mask_filter_value} and {@code unidirectional}); attention_bias [batch or 1, heads or 1, seq,
 * total]; scale (default 1/√head). Output [batch, seq, v]. It decomposes into Slices, Adds,
 * Reshapes and Transposes for the heads, Concats for the presents, the mask's bias, and {@link
 * ContribAttentionCore}'s attention.
 */
final class MicrosoftMultiHeadAttentionOp implements MicrosoftOp {
  private static final int QUERY = 0;
  private static final int KEY = 1;
  private static final int VALUE = 2;
  private static final int BIAS = 3;
  private static final int MASK = 4;
  private static final int ATTENTION_BIAS = 5;
  private static final int PAST_KEY = 6;
  private static final int PAST_VALUE = 7;

  @Override
  public String opType() {
    return "MultiHeadAttention";
  }

  /** The shapes a node takes, as dims: heads and head sizes static, lengths symbolic. */
  private record Layout(
      Dim batch,
      Dim seq,
      Dim kvSeq,
      Dim past,
      long heads,
      long head,
      long valueHead,
      boolean headsGiven) {
    Dim total() {
      return past.plus(kvSeq);
    }
  }

  private static Layout layout(InferenceContext context) {
    long heads = context.attributes().getInt("num_heads");
    Shape query = context.inputShape(QUERY);
    Shape key = context.hasInput(KEY) ? context.inputShape(KEY) : null;
    Shape value = context.hasInput(VALUE) ? context.inputShape(VALUE) : null;
    boolean pasts = context.hasInput(PAST_KEY) && context.hasInput(PAST_VALUE);
    if (query.rank() != 3
        || key == null
        || value == null
        || key.rank() != value.rank()
        || (key.rank() != 3 && key.rank() != 4)
        || heads <= 0
        || !query.dim(2).isConstant()
        || !key.dim(key.rank() - 1).isConstant()
        || !value.dim(value.rank() - 1).isConstant()
        || context.hasInput(PAST_KEY) != context.hasInput(PAST_VALUE)
        || (key.rank() == 4 && (pasts || context.hasInput(BIAS)))
        || context.inputCount() > PAST_VALUE + 1) {
      throw context.error(
          "MultiHeadAttention takes a query [batch, seq, hidden], a key and value [batch, kv seq,"
              + " hidden] (or [batch, heads, kv seq, head] without past or bias), past_key and"
              + " past_value together, nothing packed and no past_sequence_length; got "
              + query
              + ", "
              + key
              + ", "
              + value);
    }
    boolean headsGiven = key.rank() == 4;
    long qHidden = query.dim(2).constant();
    long head = headsGiven ? key.dim(3).constant() : key.dim(2).constant() / heads;
    long valueHead = headsGiven ? value.dim(3).constant() : value.dim(2).constant() / heads;
    if (qHidden != heads * head
        || (!headsGiven
            && (key.dim(2).constant() != qHidden || value.dim(2).constant() % heads != 0))) {
      throw context.error(
          "MultiHeadAttention: query "
              + query
              + ", key "
              + key
              + " and value "
              + value
              + " do not split into num_heads "
              + heads
              + " heads of one size for Q and K");
    }
    Dim past = pasts ? context.inputShape(PAST_KEY).dim(2) : Dim.of(0);
    return new Layout(
        query.dim(0),
        query.dim(1),
        key.dim(headsGiven ? 2 : 1),
        past,
        heads,
        head,
        valueHead,
        headsGiven);
  }

  @Override
  public List<TensorType> inferTypes(InferenceContext context) {
    Layout l = layout(context);
    DType dtype = context.inputDType(QUERY);
    Shape key = context.inputShape(KEY);
    Shape value = context.inputShape(VALUE);
    context.unify(key.dim(0), l.batch(), "the key's batch");
    context.unify(value.dim(0), l.batch(), "the value's batch");
    context.unify(value.dim(l.headsGiven() ? 2 : 1), l.kvSeq(), "the value's length is the key's");
    if (l.headsGiven()) {
      context.unify(key.dim(1), Dim.of(l.heads()), "the key's heads");
      context.unify(value.dim(1), Dim.of(l.heads()), "the value's heads");
    }
    if (context.hasInput(BIAS)) {
      context.unify(
          context.inputShape(BIAS).dim(0),
          Dim.of(l.heads() * (2 * l.head() + l.valueHead())),
          "the bias is Q's, K's and V's");
    }
    if (context.hasInput(PAST_KEY)) {
      for (int input : new int[] {PAST_KEY, PAST_VALUE}) {
        Shape past = context.inputShape(input);
        if (past.rank() != 4) {
          throw context.error("past_key and past_value must be [batch, heads, past, head]");
        }
        context.unify(past.dim(0), l.batch(), "the past's batch");
        context.unify(past.dim(1), Dim.of(l.heads()), "the past's heads");
        context.unify(past.dim(2), l.past(), "the pasts' lengths");
        context.unify(
            past.dim(3), Dim.of(input == PAST_KEY ? l.head() : l.valueHead()), "the past's head");
      }
    }
    maskForm(context, l, true);
    if (context.hasInput(ATTENTION_BIAS)) {
      Shape bias = context.inputShape(ATTENTION_BIAS);
      if (bias.rank() != 4) {
        throw context.error("attention_bias must be [batch or 1, heads or 1, seq, total]");
      }
      context.unify(bias.dim(2), l.seq(), "attention_bias's rows are the queries");
      context.unify(bias.dim(3), l.total(), "attention_bias's columns are the keys");
    }
    List<TensorType> out = new ArrayList<>();
    out.add(new TensorType(dtype, Shape.of(l.batch(), l.seq(), Dim.of(l.heads() * l.valueHead()))));
    Dim heads = Dim.of(l.heads());
    if (context.outputCount() > 1) {
      out.add(new TensorType(dtype, Shape.of(l.batch(), heads, l.total(), Dim.of(l.head()))));
    }
    if (context.outputCount() > 2) {
      out.add(new TensorType(dtype, Shape.of(l.batch(), heads, l.total(), Dim.of(l.valueHead()))));
    }
    if (context.outputCount() > 3) {
      throw context.error("MultiHeadAttention's qk output is not supported");
    }
    return out;
  }

  private static Form maskForm(InferenceContext context, Layout l, boolean unify) {
    if (!context.hasInput(MASK)) {
      return Form.NONE;
    }
    Shape mask = context.inputShape(MASK);
    Optional<Form> form =
        context.inputDType(MASK) == DType.INT32
            ? ContribAttentionMask.form(
                mask,
                l.batch(),
                l.seq(),
                l.total(),
                (x, y) -> !unify || context.unify(x, y, "key_padding_mask").isPresent())
            : Optional.empty();
    if (form.isEmpty() || form.get() == Form.KEY_END_START) {
      throw context.error(
          "key_padding_mask must be int32 [batch], [batch, total] or [batch, seq, total]; got "
              + context.inputType(MASK));
    }
    return form.get();
  }

  @Override
  public List<Tensor> evaluate(EvaluationContext context) {
    var a = context.attributes();
    Tensor query = context.input(QUERY);
    Tensor key = context.input(KEY);
    Tensor value = context.input(VALUE);
    Tensor bias = context.optionalInput(BIAS).orElse(null);
    Tensor mask = context.optionalInput(MASK).orElse(null);
    Tensor attentionBias = context.optionalInput(ATTENTION_BIAS).orElse(null);
    long heads = a.getInt("num_heads");
    long hidden = query.dim(2);
    long head = hidden / heads;
    boolean headsGiven = key.rank() == 4;
    long valueHidden = headsGiven ? value.dim(1) * value.dim(3) : value.dim(2);
    Tensor q = ContribAttentionCore.heads(biased(query, bias, 0), 0, heads, head);
    Tensor keys =
        headsGiven
            ? key
            : ContribAttentionCore.append(
                context.optionalInput(PAST_KEY).orElse(null),
                ContribAttentionCore.heads(biased(key, bias, hidden), 0, heads, head));
    Tensor values =
        headsGiven
            ? value
            : ContribAttentionCore.append(
                context.optionalInput(PAST_VALUE).orElse(null),
                ContribAttentionCore.heads(
                    biased(value, bias, 2 * hidden), 0, heads, valueHidden / heads));
    long batch = query.dim(0);
    long seq = query.dim(1);
    long total = keys.dim(2);
    long past = context.optionalInput(PAST_KEY).map(t -> t.dim(2)).orElse(0L);
    Form form =
        ContribAttentionMask.form(
                mask == null ? null : Shape.of(mask.shape()),
                Dim.of(batch),
                Dim.of(seq),
                Dim.of(total),
                Dim::equals)
            .orElseThrow(() -> context.error("key_padding_mask of an unsupported shape"));
    boolean causal = a.getInt("unidirectional", 0) != 0;
    double filter = a.getFloat("mask_filter_value", -10000f);
    float scale = a.getFloat("scale", 0);
    Tensor y =
        ContribAttentionCore.attend(
            query.dtype(),
            q,
            keys,
            values,
            scale == 0 ? 1 / Math.sqrt(head) : scale,
            0,
            (b, n, i, j) ->
                ContribAttentionMask.bias(
                        form, mask, causal, filter, batch, seq, past, total, b, i, j)
                    + ContribAttentionCore.attentionBias(attentionBias, b, n, i, j));
    List<Tensor> out = new ArrayList<>(List.of(y));
    if (context.outputCount() > 1) {
      out.add(as(query.dtype(), keys));
    }
    if (context.outputCount() > 2) {
      out.add(as(query.dtype(), values));
    }
    return out;
  }

  /** [batch, length, width] plus columns [from, from + width) of the bias (none: as it is). */
  private static Tensor biased(Tensor x, Tensor bias, long from) {
    if (bias == null) {
      return x;
    }
    long width = x.dim(2);
    Tensor out = Tensor.allocate(DType.FLOAT64, x.shape());
    for (int e = 0; e < out.size(); e++) {
      out.setDouble(e, x.getDouble(e) + bias.getDouble((int) (from + e % width)));
    }
    return out;
  }

  private static Tensor as(DType dtype, Tensor t) {
    Tensor out = Tensor.allocate(dtype, t.shape());
    for (int e = 0; e < out.size(); e++) {
      out.setDouble(e, t.getDouble(e));
    }
    return out;
  }

  @Override
  public boolean decompose(NodeRewrite rewrite) {
    InferenceContext context = rewrite.context();
    var a = context.attributes();
    Layout l = layout(context);
    DType dtype = context.inputDType(QUERY);
    long hidden = l.heads() * l.head();
    long valueHidden = l.heads() * l.valueHead();
    String q = heads(rewrite, "q", QUERY, 0, hidden, l.heads());
    String keys = rewrite.input(KEY);
    String values = rewrite.input(VALUE);
    if (!l.headsGiven()) {
      keys =
          present(rewrite, "key", heads(rewrite, "k", KEY, hidden, hidden, l.heads()), PAST_KEY, 1);
      values =
          present(
              rewrite,
              "value",
              heads(rewrite, "v", VALUE, 2 * hidden, valueHidden, l.heads()),
              PAST_VALUE,
              2);
    } else {
      keys = present(rewrite, "key", keys, -1, 1);
      values = present(rewrite, "value", values, -1, 2);
    }
    String past =
        context.hasInput(PAST_KEY)
            ? ContribAttentionMask.length(rewrite, "past_length", rewrite.input(PAST_KEY), 2)
            : rewrite.constant("no_past", Tensor.scalarLong(0));
    Optional<String> bias =
        ContribAttentionMask.decompose(
            rewrite,
            maskForm(context, l, false),
            rewrite.input(MASK),
            a.getInt("unidirectional", 0) != 0,
            a.getFloat("mask_filter_value", -10000f),
            dtype,
            ContribAttentionMask.length(rewrite, "seq_length", rewrite.input(QUERY), 1),
            past,
            ContribAttentionMask.length(
                rewrite, "kv_length", rewrite.input(KEY), l.headsGiven() ? 2 : 1));
    float scale = a.getFloat("scale", 0);
    ContribAttentionCore.attendNodes(
        rewrite,
        rewrite.output(0),
        q,
        ContribAttentionCore.transposedKeys(rewrite, keys),
        values,
        l.heads(),
        l.heads(),
        scale == 0 ? 1 / Math.sqrt(l.head()) : scale,
        0,
        ContribAttentionCore.withAttentionBias(rewrite, bias, rewrite.input(ATTENTION_BIAS)),
        dtype);
    return true;
  }

  /** Input {@code input} plus its part of the bias, as [batch, heads, length, head]. */
  private static String heads(
      NodeRewrite rewrite, String role, int input, long biasFrom, long width, long heads) {
    String x = rewrite.input(input);
    if (!rewrite.input(BIAS).isEmpty()) {
      String part =
          rewrite.add(
              role + "_bias",
              "Slice",
              rewrite.input(BIAS),
              rewrite.constant(role + "_bias_start", Tensor.ofLongs(new long[] {1}, biasFrom)),
              rewrite.constant(
                  role + "_bias_end", Tensor.ofLongs(new long[] {1}, biasFrom + width)),
              rewrite.constant("first_axis", Tensor.ofLongs(new long[] {1}, 0)));
      x = rewrite.add(role + "_biased", "Add", x, part);
    }
    return ContribAttentionCore.headNodes(rewrite, role, x, 0, width, width, heads);
  }

  /** The keys or values behind the past's (if any), written to the present output (if any). */
  private static String present(
      NodeRewrite rewrite, String role, String current, int past, int output) {
    String present = rewrite.output(output);
    if (past >= 0 && !rewrite.input(past).isEmpty()) {
      return rewrite.addAs(
          present,
          "present_" + role,
          "Concat",
          ContribAttentionMask.integer("axis", 2),
          rewrite.input(past),
          current);
    }
    return present.isEmpty()
        ? current
        : rewrite.addAs(present, "present_" + role, "Identity", Attributes.NONE, current);
  }
}
