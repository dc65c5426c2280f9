package oclc.bench.gpt2;

import java.util.Set;
import oclc.ir.Constant;
import oclc.ir.DType;
import oclc.ir.Graph;
import oclc.ir.Node;

/**
 * What bounds a GPT-2 graph's speed on any machine: the weights its matrix products read (a decode
 * step must stream every one of them once) and so the multiply-adds per token (a prefill must do
 * two FLOPs per weight per token; attention's products are left out, a few percent at these
 * lengths).
 */
public record ModelFacts(long matmulWeights, long matmulWeightBytes) {
  private static final Set<String> PRODUCTS = Set.of("MatMul", "Gemm");

  public static ModelFacts of(Graph graph) {
    long elements = 0;
    long bytes = 0;
    for (Node node : graph.nodes()) {
      if (!PRODUCTS.contains(node.opType())) {
        continue;
      }
      for (String input : node.inputs()) {
        if (graph.constants().get(input) instanceof Constant.Data data
            && data.tensor().dtype() == DType.FLOAT32
            && data.tensor().rank() >= 2) {
          elements += data.tensor().size();
          bytes += (long) data.tensor().size() * Float.BYTES;
        }
      }
    }
    return new ModelFacts(elements, bytes);
  }

  /** The least time a decode step can take: its weights read once at {@code readGbps}. */
  public double decodeFloorMillis(double readGbps) {
    return matmulWeightBytes / (readGbps * 1e9) * 1e3;
  }

  /**
   * The least time a prefill of {@code tokens} can take: its matrix products' FLOPs at {@code
   * gflops}.
   */
  public double prefillFloorMillis(int tokens, double gflops) {
    return 2.0 * matmulWeights * tokens / (gflops * 1e9) * 1e3;
  }
}
