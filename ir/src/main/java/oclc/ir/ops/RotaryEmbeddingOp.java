package oclc.ir.ops;

import java.util.List;
import oclc.ir.EvaluationContext;
import oclc.ir.Tensor;

/**
 * RotaryEmbedding (opset 23): rotates pairs of each head's first {@code rotary_embedding_dim}
 * features by the cached angles of their position — halves paired, or neighbours when interleaved.
 * Input [batch, heads, seq, head] or [batch, seq, heads·head] (num_heads given).
 */
final class RotaryEmbeddingOp extends ShapePreservingOp {
  @Override
  public String opType() {
    return "RotaryEmbedding";
  }

  @Override
  public List<Tensor> evaluate(EvaluationContext context) {
    Tensor x = context.input(0);
    var a = context.attributes();
    return List.of(
        rotate(
            x,
            context.input(1),
            context.input(2),
            context.optionalInput(3).orElse(null),
            x.rank() == 4 ? x.dim(1) : a.getInt("num_heads"),
            a.getInt("rotary_embedding_dim", 0),
            a.getInt("interleaved", 0) != 0));
  }

  /**
   * {@code x} rotated; {@code positions} [batch, seq] (null: the caches are [batch, seq, half]),
   * {@code rotary} 0 for the whole head. Also com.microsoft RotaryEmbedding's reference.
   */
  static Tensor rotate(
      Tensor x,
      Tensor cos,
      Tensor sin,
      Tensor positions,
      long heads,
      long rotaryDim,
      boolean interleaved) {
    boolean fourD = x.rank() == 4;
    long batch = x.dim(0);
    long seq = fourD ? x.dim(2) : x.dim(1);
    long head = fourD ? x.dim(3) : x.dim(2) / heads;
    long rotary = rotaryDim == 0 ? head : rotaryDim;
    long half = rotary / 2;
    Tensor y = x.copy();
    for (long b = 0; b < batch; b++) {
      for (long s = 0; s < seq; s++) {
        long angleRow = positions != null ? positions.getLong((int) (b * seq + s)) : b * seq + s;
        for (long h = 0; h < heads; h++) {
          long base =
              fourD ? ((b * heads + h) * seq + s) * head : ((b * seq + s) * heads + h) * head;
          for (long i = 0; i < half; i++) {
            int first = (int) (base + (interleaved ? 2 * i : i));
            int second = (int) (base + (interleaved ? 2 * i + 1 : i + half));
            double c = cos.getDouble((int) (angleRow * half + i));
            double sn = sin.getDouble((int) (angleRow * half + i));
            double x1 = x.getDouble(first);
            double x2 = x.getDouble(second);
            y.setDouble(first, c * x1 - sn * x2);
            y.setDouble(second, sn * x1 + c * x2);
          }
        }
      }
    }
    return y;
  }
}
