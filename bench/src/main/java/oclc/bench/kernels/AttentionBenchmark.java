package oclc.bench.kernels;

import java.util.List;
import java.util.Map;
import oclc.bench.kernels.OneNodeModel.Operand;
import oclc.ir.Attributes;
import org.openjdk.jmh.annotations.Param;

/**
 * GPT-2 small's batched attention products over 12 heads of 64: the scores {@code Q · Kᵀ}
 * ([1,12,S,64] · [1,12,64,T]) and the context {@code P · V} ([1,12,S,T] · [1,12,T,64]), for one
 * query (decode) and 64 (prefill), against 128 and 1024 keys.
 */
public class AttentionBenchmark extends ScoresBenchmark {
  static final int HEAD = 64;

  @Param({"scores", "context"})
  public String product;

  @Override
  protected OneNodeModel.Spec spec() {
    return spec(product, queries, keys);
  }

  static OneNodeModel.Spec spec(String product, int queries, int keys) {
    boolean scores = product.equals("scores");
    List<Operand> operands =
        scores
            ? List.of(
                Operand.input("q", 1, HEADS, queries, HEAD),
                Operand.input("kt", 1, HEADS, HEAD, keys))
            : List.of(
                Operand.input("p", 1, HEADS, queries, keys),
                Operand.input("v", 1, HEADS, keys, HEAD));
    return new OneNodeModel.Spec(
        "MatMul",
        Attributes.NONE,
        13,
        operands,
        new long[] {1, HEADS, queries, scores ? keys : HEAD});
  }

  /** 2·heads·S·T·64 flops either way; both operands read once, the product written. */
  public static KernelWork work(Map<String, String> params) {
    long s = Long.parseLong(params.get("queries"));
    long t = Long.parseLong(params.get("keys"));
    boolean scores = params.get("product").equals("scores");
    long elements = scores ? s * HEAD + HEAD * t + s * t : s * t + t * HEAD + s * HEAD;
    return new KernelWork(2 * HEADS * s * t * HEAD, 4 * HEADS * elements);
  }
}
