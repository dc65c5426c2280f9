package oclc.bench.gpt2;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import oclc.compiler.LoadedModel;
import oclc.ir.Constant;
import oclc.ir.Graph;
import oclc.ir.Node;
import oclc.onnx.quantize.WeightFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The decode byte floor of a quantized file: what the tiny model's int4 and int8 files read per
 * token, against the sum worked out from the float32 model's weight shapes (packed codes, a float32
 * scale and a packed zero point per block of 32 along K; one row of each embedding).
 */
class QuantizedFloorTest {
  private static final Path MODEL = Path.of("..", "examples", "gpt2-tiny-past", "model.onnx");
  private static final int BLOCK = 32;

  @TempDir Path folder;

  @Test
  void int4AndInt8FilesReadTheirPackedWeightsScalesAndZeroPointsPerToken() {
    Graph fp32 = LoadedModel.load(MODEL).simplified();
    long fp32Bytes = ModelFacts.of(fp32).matmulWeightBytes();
    assertTrue(expectedBytes(fp32, 4) > fp32Bytes / 8, "the products' weights are all counted");
    assertTrue(expectedBytes(fp32, 8) < fp32Bytes / 3, "int8 reads about a quarter of fp32");
    for (WeightFormat format : new WeightFormat[] {WeightFormat.INT4, WeightFormat.INT8}) {
      QuantizedFiles files =
          QuantizedFiles.write(
              MODEL, format, BLOCK, folder, new PrintWriter(new StringWriter(), true));
      ModelFacts facts = ModelFacts.of(LoadedModel.load(files.exact()).simplified());
      assertEquals(expectedBytes(fp32, format.bits()), facts.matmulWeightBytes(), format.label());
      assertEquals(
          ModelFacts.of(fp32).matmulWeights(),
          facts.matmulWeights(),
          "the same multiply-adds per token");
      assertEquals(
          facts.matmulWeightBytes() / 20e9 * 1e3, facts.decodeFloorMillis(20), 1e-12, "at 20 GB/s");
      assertTrue(files.fastOrt().toFile().isFile(), "the accuracy_level 4 copy is written");
    }
  }

  /** Bytes per token of the float32 model's products and embeddings once quantized to bits. */
  private static long expectedBytes(Graph fp32, int bits) {
    long bytes = 0;
    for (Node node : fp32.nodes()) {
      boolean gather = node.opType().equals("Gather");
      if (!gather && !node.opType().equals("MatMul") && !node.opType().equals("Gemm")) {
        continue;
      }
      int at = gather ? 0 : 1;
      if (!(fp32.constants().get(node.inputs().get(at)) instanceof Constant.Data data)
          || data.tensor().rank() != 2) {
        continue;
      }
      long rows = data.tensor().dim(0);
      long columns = data.tensor().dim(1);
      boolean transposed = node.attributes().getInt("transB", 0) == 1;
      // MatMul's weight is [K, N]: N rows of K once quantized; a gather's table rows of its width
      long n = gather || transposed ? rows : columns;
      long k = gather || transposed ? columns : rows;
      long blocks = Math.ceilDiv(k, BLOCK);
      long perRow = blocks * BLOCK * bits / 8 + 4 * blocks + Math.ceilDiv(blocks, 8 / bits);
      bytes += gather ? perRow : n * perRow;
    }
    return bytes;
  }
}
