package oclc.bench.kernels;

import java.util.List;
import java.util.Map;
import oclc.bench.kernels.OneNodeModel.Operand;
import oclc.ir.Attribute;
import oclc.ir.Attributes;

/**
 * Softmax over each row of keys of GPT-2 small's attention scores, [1, 12, S, T] on the last axis.
 */
public class SoftmaxBenchmark extends ScoresBenchmark {
  @Override
  protected OneNodeModel.Spec spec() {
    return spec(queries, keys);
  }

  static OneNodeModel.Spec spec(int queries, int keys) {
    long[] shape = {1, HEADS, queries, keys};
    return new OneNodeModel.Spec(
        "Softmax",
        new Attributes(Map.of("axis", new Attribute.IntValue(-1))),
        13,
        List.of(Operand.input("x", shape)),
        shape);
  }

  /**
   * About 5 flops an element (max, subtract, exp, sum, divide; exp counted as one); read once,
   * written once.
   */
  public static KernelWork work(Map<String, String> params) {
    long elements =
        HEADS * Long.parseLong(params.get("queries")) * Long.parseLong(params.get("keys"));
    return new KernelWork(5 * elements, 8 * elements);
  }
}
