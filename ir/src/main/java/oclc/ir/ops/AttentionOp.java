package oclc.ir.ops;

import java.util.ArrayList;
import java.util.List;
import oclc.ir.Dim;
import oclc.ir.EvaluationContext;
import oclc.ir.InferenceContext;
import oclc.ir.OpDefinition;
import oclc.ir.Shape;
import oclc.ir.Tensor;
import oclc.ir.TensorType;

/**
 * Attention (opset 23/24): softmax(Q·Kᵀ·scale [softcapped] + bias)·V per head, with an optional
 * boolean or additive mask, a KV cache (past → present), grouped-query heads, bottom-right causal
 * masking, and opset 24's per-batch valid key lengths. Q, K, V are [batch, heads, seq, head] or
 * [batch, seq, heads·head] with the head counts in attributes.
 */
final class AttentionOp implements OpDefinition {
  @Override
  public String opType() {
    return "Attention";
  }

  @Override
  public List<TensorType> inferTypes(InferenceContext context) {
    Shape q = context.inputShape(0);
    Shape k = context.inputShape(1);
    Shape v = context.inputShape(2);
    boolean threeD = q.rank() == 3;
    Dim batch = q.dim(0);
    Dim qHeads = threeD ? Dim.of(context.attributes().getInt("q_num_heads")) : q.dim(1);
    Dim kvHeads = threeD ? Dim.of(context.attributes().getInt("kv_num_heads")) : k.dim(1);
    Dim qSeq = threeD ? q.dim(1) : q.dim(2);
    Dim kvSeq = threeD ? k.dim(1) : k.dim(2);
    Dim headSize = threeD ? k.dim(2).floorDiv(kvHeads) : k.dim(3);
    Dim valueHead = threeD ? v.dim(2).floorDiv(kvHeads) : v.dim(3);
    Dim past = context.hasInput(4) ? context.inputShape(4).dim(2) : Dim.of(0);
    Dim total = past.plus(kvSeq);
    Shape y =
        threeD
            ? Shape.of(batch, qSeq, qHeads.times(valueHead))
            : Shape.of(batch, qHeads, qSeq, valueHead);
    List<TensorType> out = new ArrayList<>();
    out.add(new TensorType(context.inputDType(0), y));
    out.add(new TensorType(context.inputDType(0), Shape.of(batch, kvHeads, total, headSize)));
    out.add(new TensorType(context.inputDType(0), Shape.of(batch, kvHeads, total, valueHead)));
    out.add(new TensorType(context.inputDType(0), Shape.of(batch, qHeads, qSeq, total)));
    return out;
  }

  /** A [batch, heads, seq, size] view of a 3-D or 4-D operand. */
  private record Heads(Tensor t, long batch, long heads, long seq, long size, boolean threeD) {
    static Heads of(Tensor t, long headsIf3d) {
      if (t.rank() == 4) {
        return new Heads(t, t.dim(0), t.dim(1), t.dim(2), t.dim(3), false);
      }
      return new Heads(t, t.dim(0), headsIf3d, t.dim(1), t.dim(2) / headsIf3d, true);
    }

    double get(long b, long h, long s, long d) {
      long index =
          threeD ? ((b * seq + s) * heads + h) * size + d : ((b * heads + h) * seq + s) * size + d;
      return t.getDouble((int) index);
    }
  }

  @Override
  public List<Tensor> evaluate(EvaluationContext context) {
    var a = context.attributes();
    Tensor qTensor = context.input(0);
    boolean threeD = qTensor.rank() == 3;
    Heads q = Heads.of(qTensor, a.getInt("q_num_heads", 0));
    Heads k = Heads.of(context.input(1), a.getInt("kv_num_heads", 0));
    Heads v = Heads.of(context.input(2), a.getInt("kv_num_heads", 0));
    Tensor mask = context.optionalInput(3).orElse(null);
    Tensor pastKey = context.optionalInput(4).orElse(null);
    Tensor pastValue = context.optionalInput(5).orElse(null);
    Tensor validKeys = context.optionalInput(6).orElse(null);
    long batch = q.batch();
    long past = pastKey == null ? 0 : pastKey.dim(2);
    long total = past + k.seq();
    Tensor presentKey = present(pastKey, k, total);
    Tensor presentValue = present(pastValue, v, total);
    double scale = a.has("scale") ? a.getFloat("scale", 0) : 1 / Math.sqrt(q.size());
    double softcap = a.getFloat("softcap", 0);
    boolean causal = a.getInt("is_causal", 0) != 0;
    long mode = a.getInt("qk_matmul_output_mode", 0);
    long groups = q.heads() / k.heads();
    long[] yShape =
        threeD
            ? new long[] {batch, q.seq(), q.heads() * v.size()}
            : new long[] {batch, q.heads(), q.seq(), v.size()};
    Tensor y = Tensor.allocate(qTensor.dtype(), yShape);
    Tensor qk = Tensor.allocate(qTensor.dtype(), batch, q.heads(), q.seq(), total);
    int[] maskMap = mask == null ? null : maskIndex(mask, batch, q.heads(), q.seq(), total);
    double[] scores = new double[(int) total];
    for (long b = 0; b < batch; b++) {
      for (long h = 0; h < q.heads(); h++) {
        long kvHead = h / groups;
        for (long i = 0; i < q.seq(); i++) {
          long row = ((b * q.heads() + h) * q.seq() + i) * total;
          for (long j = 0; j < total; j++) {
            double dot = 0;
            for (long d = 0; d < q.size(); d++) {
              dot +=
                  q.get(b, h, i, d)
                      * presentKey.getDouble(
                          (int) (((b * k.heads() + kvHead) * total + j) * q.size() + d));
            }
            double s = dot * scale;
            if (softcap > 0) {
              s = softcap * Math.tanh(s / softcap);
            }
            double bias = 0;
            if (maskMap != null) {
              int m = maskMap[(int) (row + j)];
              bias =
                  m < 0
                      ? Double.NEGATIVE_INFINITY
                      : mask.dtype().isBool()
                          ? (mask.getBool(m) ? 0 : Double.NEGATIVE_INFINITY)
                          : mask.getDouble(m);
            }
            long offset =
                validKeys != null && pastKey == null ? validKeys.getLong((int) b) - q.seq() : past;
            if (causal && j > i + offset) {
              bias = Double.NEGATIVE_INFINITY;
            }
            if (validKeys != null && j >= validKeys.getLong((int) b)) {
              bias += Double.NEGATIVE_INFINITY;
            }
            scores[(int) j] = s + bias;
            if (mode <= 1) {
              qk.setDouble((int) (row + j), s);
            } else if (mode == 2) {
              qk.setDouble((int) (row + j), s + bias);
            }
          }
          softmax(scores);
          for (long j = 0; j < total && mode == 3; j++) {
            qk.setDouble((int) (row + j), scores[(int) j]);
          }
          for (long d = 0; d < v.size(); d++) {
            double sum = 0;
            for (long j = 0; j < total; j++) {
              sum +=
                  scores[(int) j]
                      * presentValue.getDouble(
                          (int) (((b * k.heads() + kvHead) * total + j) * v.size() + d));
            }
            long at =
                threeD
                    ? ((b * q.seq() + i) * q.heads() + h) * v.size() + d
                    : ((b * q.heads() + h) * q.seq() + i) * v.size() + d;
            y.setDouble((int) at, sum);
          }
        }
      }
    }
    return List.of(y, presentKey, presentValue, qk);
  }

  /** past ++ new along the sequence, as [batch, heads, total, size]. */
  private static Tensor present(Tensor past, Heads current, long total) {
    Tensor out =
        Tensor.allocate(
            current.t().dtype(), current.batch(), current.heads(), total, current.size());
    long pastLength = past == null ? 0 : past.dim(2);
    int i = 0;
    for (long b = 0; b < current.batch(); b++) {
      for (long h = 0; h < current.heads(); h++) {
        for (long s = 0; s < total; s++) {
          for (long d = 0; d < current.size(); d++) {
            if (s < pastLength) {
              out.setDouble(
                  i++,
                  past.getDouble(
                      (int) (((b * current.heads() + h) * pastLength + s) * current.size() + d)));
            } else {
              out.setDouble(i++, current.get(b, h, s - pastLength, d));
            }
          }
        }
      }
    }
    return out;
  }

  /**
   * For each score [b, h, i, j], the mask element that applies, or −1 where the mask is shorter
   * than the keys (padding masks those out).
   */
  private static int[] maskIndex(Tensor mask, long batch, long heads, long qSeq, long total) {
    long[] maskShape = mask.shape();
    long maskKeys = maskShape[maskShape.length - 1];
    long[] padded = maskShape.clone();
    padded[padded.length - 1] = total;
    long[] scoreShape = {batch, heads, qSeq, total};
    int[] map = Broadcast.indexMap(scoreShape, padded);
    for (int n = 0; n < map.length; n++) {
      long column = map[n] % total;
      long rowStart = map[n] / total;
      map[n] = column >= maskKeys ? -1 : (int) (rowStart * maskKeys + column);
    }
    return map;
  }

  /**
   * A row with every key masked attends to nothing: zeros, not NaN (also the contrib attention ops'
   * softmax, whose rows are never all −∞).
   */
  static void softmax(double[] row) {
    double max = Double.NEGATIVE_INFINITY;
    for (double v : row) {
      max = Math.max(max, v);
    }
    if (max == Double.NEGATIVE_INFINITY) {
      java.util.Arrays.fill(row, 0);
      return;
    }
    double sum = 0;
    for (int j = 0; j < row.length; j++) {
      row[j] = Math.exp(row[j] - max);
      sum += row[j];
    }
    for (int j = 0; j < row.length; j++) {
      row[j] /= sum;
    }
  }
}
