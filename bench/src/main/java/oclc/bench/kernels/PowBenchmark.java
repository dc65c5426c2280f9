package oclc.bench.kernels;

import java.util.List;
import java.util.Map;
import oclc.bench.kernels.OneNodeModel.Operand;
import oclc.ir.Attributes;
import oclc.ir.Tensor;
import org.openjdk.jmh.annotations.Param;

/**
 * The square in GPT-2's decomposed LayerNormalization, {@code Pow(x - mean, 2)} over [S, 768] with
 * the exponent a constant scalar, against {@code Mul} by the same constant: the same broadcast
 * binary kernel, differing only in {@code pow(a, b)} against {@code a * b}.
 */
public class PowBenchmark extends RowsBenchmark {
  @Param({"Pow", "Mul"})
  public String op;

  @Override
  protected OneNodeModel.Spec spec() {
    return spec(op, rows);
  }

  static OneNodeModel.Spec spec(String op, int rows) {
    return new OneNodeModel.Spec(
        op,
        Attributes.NONE,
        15,
        List.of(
            Operand.input("x", 1, rows, 768),
            Operand.constant("e", Tensor.ofFloats(new long[] {}, 2f))),
        new long[] {1, rows, 768});
  }

  /** One operation an element, read once and written once. */
  public static KernelWork work(Map<String, String> params) {
    long elements = Long.parseLong(params.get("rows")) * 768;
    return new KernelWork(elements, 8 * elements);
  }
}
