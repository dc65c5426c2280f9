package oclc.bench.kernels;

import java.util.List;
import java.util.Map;
import oclc.bench.kernels.OneNodeModel.Operand;
import oclc.ir.Attribute;
import oclc.ir.Attributes;

/**
 * LayerNormalization (opset 17) of GPT-2 small's rows of 768, with constant scale and shift; 1 and
 * 64 rows.
 */
public class LayerNormBenchmark extends RowsBenchmark {
  static final int WIDTH = 768;

  @Override
  protected OneNodeModel.Spec spec() {
    return spec(rows);
  }

  static OneNodeModel.Spec spec(int rows) {
    return new OneNodeModel.Spec(
        "LayerNormalization",
        new Attributes(
            Map.of("axis", new Attribute.IntValue(-1), "epsilon", new Attribute.FloatValue(1e-5f))),
        17,
        List.of(
            Operand.input("x", rows, WIDTH),
            Operand.constant("scale", WIDTH),
            Operand.constant("shift", WIDTH)),
        new long[] {rows, WIDTH});
  }

  /**
   * About 8 flops an element (sum, centre, square, sum, scale, shift); x read, y written, scale and
   * shift read.
   */
  public static KernelWork work(Map<String, String> params) {
    long elements = Long.parseLong(params.get("rows")) * WIDTH;
    return new KernelWork(8 * elements, 4 * (2 * elements + 2 * WIDTH));
  }
}
