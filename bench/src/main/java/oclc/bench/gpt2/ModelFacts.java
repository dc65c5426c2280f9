package oclc.bench.gpt2;

import java.util.List;
import java.util.Set;
import oclc.ir.Constant;
import oclc.ir.DType;
import oclc.ir.Graph;
import oclc.ir.Node;

/**
 * What bounds a GPT-2 graph's speed on any machine: the weight bytes a decode step reads (every
 * matrix product's weights once, in whatever format they are stored: float32, float16, or a
 * quantized file's packed bytes with their scales and zero points; and one row of a quantized
 * embedding) and so the multiply-adds per token (a prefill must do two FLOPs per weight per token;
 * attention's products are left out, a few percent at these lengths).
 */
public record ModelFacts(long matmulWeights, long matmulWeightBytes) {
  private static final Set<String> PRODUCTS = Set.of("MatMul", "Gemm");
  private static final Set<DType> FLOAT_WEIGHTS = Set.of(DType.FLOAT32, DType.FLOAT16);

  /** MatMulNBits' packed weight, scales and zero points; GatherBlockQuantized's likewise. */
  private static final List<Integer> NBITS_STORAGE = List.of(1, 2, 3);

  private static final List<Integer> GATHERED_STORAGE = List.of(0, 2, 3);

  public static ModelFacts of(Graph graph) {
    long elements = 0;
    long bytes = 0;
    for (Node node : graph.nodes()) {
      switch (node.opType()) {
        case "MatMulNBits" -> {
          elements += node.attributes().getInt("K") * node.attributes().getInt("N");
          bytes += constantBytes(graph, node, NBITS_STORAGE, false);
        }
        case "GatherBlockQuantized" ->
            bytes += constantBytes(graph, node, GATHERED_STORAGE, true); // one token, one row
        default -> {
          if (!PRODUCTS.contains(node.opType())) {
            continue;
          }
          for (String input : node.inputs()) {
            if (graph.constants().get(input) instanceof Constant.Data data
                && FLOAT_WEIGHTS.contains(data.tensor().dtype())
                && data.tensor().rank() >= 2) {
              elements += data.tensor().size();
              bytes += (long) data.tensor().size() * data.tensor().dtype().byteSize();
            }
          }
        }
      }
    }
    return new ModelFacts(elements, bytes);
  }

  /**
   * The bytes of {@code node}'s constant inputs at {@code indices}; {@code oneRow}: of one row of
   * each (its first axis), as a gather of one token reads.
   */
  private static long constantBytes(Graph graph, Node node, List<Integer> indices, boolean oneRow) {
    long bytes = 0;
    for (int i : indices) {
      if (i < node.inputs().size()
          && graph.constants().get(node.inputs().get(i)) instanceof Constant.Data data) {
        long all = (long) data.tensor().size() * data.tensor().dtype().byteSize();
        bytes += oneRow && data.tensor().rank() >= 1 ? all / data.tensor().dim(0) : all;
      }
    }
    return bytes;
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
