package oclc.ir.ops;

import java.util.Map;
import java.util.Optional;
import oclc.ir.Attribute;
import oclc.ir.Attributes;
import oclc.ir.DType;
import oclc.ir.NodeRewrite;
import oclc.ir.Tensor;

/**
 * What ONNX Runtime's contrib attention ops share once their Q, K and V are heads: softmax(Q·Kᵀ ·
 * scale [softcapped] + bias)·V, query heads grouped over fewer key/value heads, the biases added in
 * float as ONNX Runtime adds them; the output [batch, seq, heads · value head]. Both the reference
 * (over [batch, heads, length, head] tensors in double) and the decomposition (MatMul, Mul, Add,
 * Softmax and MatMul; no guard for rows of −∞, as the contrib biases are finite).
 */
final class ContribAttentionCore {
  private ContribAttentionCore() {}

  /** The bias of score [b, n, i, j]. */
  @FunctionalInterface
  interface Bias {
    double at(long b, long n, long i, long j);
  }

  /** Columns [from, from + heads · head) of [batch, seq, width] as [batch, heads, seq, head]. */
  static Tensor heads(Tensor x, long from, long heads, long head) {
    long batch = x.dim(0);
    long seq = x.dim(1);
    long width = x.dim(2);
    Tensor out = Tensor.allocate(DType.FLOAT64, batch, heads, seq, head);
    int at = 0;
    for (long b = 0; b < batch; b++) {
      for (long n = 0; n < heads; n++) {
        for (long s = 0; s < seq; s++) {
          for (long d = 0; d < head; d++) {
            out.setDouble(at++, x.getDouble((int) ((b * seq + s) * width + from + n * head + d)));
          }
        }
      }
    }
    return out;
  }

  /** past ++ current along the sequence ([batch, heads, length, head] both; past may be null). */
  static Tensor append(Tensor past, Tensor current) {
    if (past == null) {
      return current;
    }
    long batch = current.dim(0);
    long heads = current.dim(1);
    long pastLength = past.dim(2);
    long seq = current.dim(2);
    long head = current.dim(3);
    Tensor out = Tensor.allocate(DType.FLOAT64, batch, heads, pastLength + seq, head);
    int at = 0;
    for (long bn = 0; bn < batch * heads; bn++) {
      for (long j = 0; j < pastLength + seq; j++) {
        for (long d = 0; d < head; d++) {
          out.setDouble(
              at++,
              j < pastLength
                  ? past.getDouble((int) ((bn * pastLength + j) * head + d))
                  : current.getDouble((int) ((bn * seq + j - pastLength) * head + d)));
        }
      }
    }
    return out;
  }

  /**
   * The attention of {@code q} [batch, heads, seq, head] over {@code keys} [batch, kv heads, total,
   * head] and {@code values} [batch, kv heads, total, value head]: [batch, seq, heads · value head]
   * of {@code dtype}; softcap 0 for none.
   */
  static Tensor attend(
      DType dtype, Tensor q, Tensor keys, Tensor values, double scale, double softcap, Bias bias) {
    long batch = q.dim(0);
    long heads = q.dim(1);
    long seq = q.dim(2);
    long head = q.dim(3);
    long kvHeads = keys.dim(1);
    long total = keys.dim(2);
    long valueHead = values.dim(3);
    long group = heads / kvHeads;
    Tensor y = Tensor.allocate(dtype, batch, seq, heads * valueHead);
    double[] scores = new double[(int) total];
    for (long b = 0; b < batch; b++) {
      for (long n = 0; n < heads; n++) {
        long kv = b * kvHeads + n / group;
        for (long i = 0; i < seq; i++) {
          long qRow = ((b * heads + n) * seq + i) * head;
          for (long j = 0; j < total; j++) {
            double dot = 0;
            for (long d = 0; d < head; d++) {
              dot +=
                  q.getDouble((int) (qRow + d))
                      * keys.getDouble((int) ((kv * total + j) * head + d));
            }
            double s = dot * scale;
            if (softcap > 0) {
              s = softcap * Math.tanh(s / softcap);
            }
            // ONNX Runtime adds the biases in float: float's lowest swamps a score.
            scores[(int) j] = (float) (s + bias.at(b, n, i, j));
          }
          AttentionOp.softmax(scores);
          for (long d = 0; d < valueHead; d++) {
            double sum = 0;
            for (long j = 0; j < total; j++) {
              sum += scores[(int) j] * values.getDouble((int) ((kv * total + j) * valueHead + d));
            }
            y.setDouble((int) ((b * seq + i) * heads * valueHead + n * valueHead + d), sum);
          }
        }
      }
    }
    return y;
  }

  /** attention_bias [batch or 1, heads or 1, seq, total] at [b, n, i, j]; 0 without one. */
  static double attentionBias(Tensor bias, long b, long n, long i, long j) {
    if (bias == null) {
      return 0;
    }
    long bb = bias.dim(0) == 1 ? 0 : b;
    long nn = bias.dim(1) == 1 ? 0 : n;
    return bias.getDouble((int) (((bb * bias.dim(1) + nn) * bias.dim(2) + i) * bias.dim(3) + j));
  }

  /** The mask's bias plus attention_bias (either may be absent). */
  static Optional<String> withAttentionBias(
      NodeRewrite rewrite, Optional<String> mask, String attentionBias) {
    if (attentionBias.isEmpty()) {
      return mask;
    }
    return Optional.of(
        mask.map(m -> rewrite.add("biases", "Add", m, attentionBias)).orElse(attentionBias));
  }

  /** Columns [from, from + width) of [batch, seq, ·] as [batch, heads, seq, width / heads]. */
  static String headNodes(
      NodeRewrite rewrite,
      String role,
      String x,
      long from,
      long width,
      long totalWidth,
      long heads) {
    String columns =
        from == 0 && width == totalWidth
            ? x
            : rewrite.add(
                role,
                "Slice",
                x,
                rewrite.constant(role + "_start", Tensor.ofLongs(new long[] {1}, from)),
                rewrite.constant(role + "_end", Tensor.ofLongs(new long[] {1}, from + width)),
                rewrite.constant("last_axis", Tensor.ofLongs(new long[] {1}, 2)));
    return rewrite.add(
        role + "_heads",
        "Transpose",
        ints("perm", 0, 2, 1, 3),
        rewrite.add(
            role + "_split",
            "Reshape",
            columns,
            ContribAttentionMask.shape(rewrite, role + "_split", 0, 0, heads, width / heads)));
  }

  /** Kᵀ of keys [batch, kv heads, total, head]: [batch, kv heads, head, total]. */
  static String transposedKeys(NodeRewrite rewrite, String keys) {
    return rewrite.add("keys_transposed", "Transpose", ints("perm", 0, 1, 3, 2), keys);
  }

  /**
   * Adds the attention of {@code q} [batch, heads, seq, head] over the keys, given transposed
   * ({@code keysTransposed} [batch, kv heads, head, total], {@link #transposedKeys}), and {@code
   * values} [batch, kv heads, total, ·], writing [batch, seq, heads · value head] to {@code
   * output}; with grouped heads the bias is one for all heads ([batch or 1, 1, seq, total]).
   */
  static void attendNodes(
      NodeRewrite rewrite,
      String output,
      String q,
      String keysTransposed,
      String values,
      long heads,
      long kvHeads,
      double scale,
      double softcap,
      Optional<String> bias,
      DType dtype) {
    long group = heads / kvHeads;
    // Grouped query heads: the heads sharing a kv head become rows of one product with it.
    String rows = group > 1 ? regroup(rewrite, "q_groups", q, kvHeads) : q;
    String scores =
        rewrite.add(
            "scores",
            "Mul",
            rewrite.add("product", "MatMul", rows, keysTransposed),
            ContribAttentionMask.scalar(rewrite, "scale", scale, dtype));
    if (softcap > 0) {
      String cap = ContribAttentionMask.scalar(rewrite, "softcap", softcap, dtype);
      scores =
          rewrite.add(
              "softcapped",
              "Mul",
              rewrite.add(
                  "softcap_tanh", "Tanh", rewrite.add("softcap_divided", "Div", scores, cap)),
              cap);
    }
    if (bias.isPresent()) {
      // Grouped, the scores stay [batch, kv heads, group · seq, total] (a Reshape back would need
      // the total's length divided out): the bias, one for all heads, repeats per group.
      String rowsBias =
          group > 1
              ? rewrite.add(
                  "bias_groups",
                  "Concat",
                  ContribAttentionMask.integer("axis", 2),
                  java.util.Collections.nCopies((int) group, bias.get()).toArray(String[]::new))
              : bias.get();
      scores = rewrite.add("biased", "Add", scores, rowsBias);
    }
    String probabilities =
        rewrite.add("probabilities", "Softmax", ContribAttentionMask.integer("axis", -1), scores);
    String attended = rewrite.add("attended", "MatMul", probabilities, values);
    if (group > 1) {
      attended = regroup(rewrite, "attended_heads", attended, heads);
    }
    rewrite.addAs(
        output,
        "output",
        "Reshape",
        Attributes.NONE,
        rewrite.add("attended_transposed", "Transpose", ints("perm", 0, 2, 1, 3), attended),
        ContribAttentionMask.shape(rewrite, "merged", 0, 0, -1));
  }

  /** [batch, h, rows, ·] as [batch, heads, ·, ·]: rows moved between heads and sequence. */
  private static String regroup(NodeRewrite rewrite, String role, String value, long heads) {
    return rewrite.add(
        role,
        "Reshape",
        value,
        ContribAttentionMask.shape(rewrite, "to_" + heads + "_heads", 0, heads, -1, 0));
  }

  static Attributes ints(String name, long... values) {
    return new Attributes(Map.of(name, new Attribute.Ints(values)));
  }
}
