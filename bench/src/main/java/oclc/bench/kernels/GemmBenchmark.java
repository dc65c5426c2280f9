package oclc.bench.kernels;

import java.util.Map;
import oclc.bench.kernels.OneNodeModel.Operand;
import oclc.ir.Attributes;
import org.openjdk.jmh.annotations.Param;

/**
 * A GPT-2-small-sized Gemm, {@code y = x · W + b} with K = 768 and W a constant (packed into panels
 * at compile time): one row is the GEMV variant (decode), 64 rows the register-tiled GEMM
 * (prefill). N = 768 is the attention projection, 2304 the fused QKV, 3072 the MLP's first layer.
 */
public class GemmBenchmark extends RowsBenchmark {
  static final int K = 768;

  @Param({"768", "2304", "3072"})
  public int columns;

  @Override
  protected OneNodeModel.Spec spec() {
    return spec(rows, columns);
  }

  static OneNodeModel.Spec spec(int rows, int columns) {
    return new OneNodeModel.Spec(
        "Gemm",
        Attributes.NONE,
        13,
        java.util.List.of(
            Operand.input("x", rows, K),
            Operand.constant("w", K, columns),
            Operand.constant("b", columns)),
        new long[] {rows, columns});
  }

  /** 2·M·N·K flops; the bytes every launch must at least read and write (W once, x, y, b). */
  public static KernelWork work(Map<String, String> params) {
    long m = Long.parseLong(params.get("rows"));
    long n = Long.parseLong(params.get("columns"));
    return new KernelWork(2 * m * n * K, 4 * (K * n + m * K + m * n + n));
  }
}
