package oclc.tests;

import ai.onnxruntime.OrtException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import oclc.ir.DType;
import oclc.ir.Tensor;
import oclc.ir.ops.BlockQuantization;
import oclc.ir.ops.MicrosoftOps;
import oclc.tests.support.AgainstOnnxRuntime;
import oclc.tests.support.OneNodeModel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * ONNX Runtime's block-quantized weights (MatMulNBits, GatherBlockQuantized) as one-node models
 * with symbolic rows, their weights drawn at random, against ONNX Runtime on the reference, OpenCL
 * and the Java kernels: 4 and 8 bits, blocks of 32 and 128, K not a multiple of the block, with and
 * without zero points (packed uint8 or float) and bias, at 1, 2, 16, 17 and 70 rows (decode's GEMV
 * and prefill's GEMM on either side of the row classes).
 */
class BlockQuantizedOpsTest {
  private static final double FLOAT32_BOUND = 1e-4;
  private static final long[] ROWS = {1, 2, 16, 17, 70};

  @TempDir Path directory;

  /** How a MatMulNBits model stores its zero points. */
  enum ZeroPoints {
    NONE,
    PACKED,
    FLOAT
  }

  /** One MatMulNBits model: its layout, its zero points and whether it adds a bias. */
  record Product(int bits, int blockSize, int k, int n, ZeroPoints zeroPoints, boolean bias) {
    String name() {
      return "nbits"
          + bits
          + "_b"
          + blockSize
          + "_k"
          + k
          + "_n"
          + n
          + "_"
          + zeroPoints
          + (bias ? "_bias" : "");
    }
  }

  static Path matMulNBits(Path directory, Product product, Random random) {
    BlockQuantization layout = new BlockQuantization(product.bits, product.blockSize, product.k);
    int n = product.n;
    OneNodeModel model =
        OneNodeModel.of(MicrosoftOps.DOMAIN, "MatMulNBits")
            .input("a", DType.FLOAT32, 1, "rows", product.k)
            .weight("b", bytes(random, n, layout.blocks(), layout.blockBytes()))
            .weight("scales", scales(random, n * layout.blocks()));
    switch (product.zeroPoints) {
      case NONE -> model.absent();
      case PACKED -> model.weight("zero_points", bytes(random, n * layout.zeroPointRowBytes()));
      case FLOAT ->
          model.weight(
              "zero_points", uniform(random, 0, (1 << product.bits) - 1, n * layout.blocks()));
    }
    if (product.bias) {
      model.absent().weight("bias", uniform(random, -1, 1, n));
    }
    return model
        .output("y", DType.FLOAT32, 1, "rows", n)
        .attribute("K", (long) product.k)
        .attribute("N", (long) n)
        .attribute("bits", (long) product.bits)
        .attribute("block_size", (long) product.blockSize)
        .write(directory, product.name());
  }

  static List<Map<String, Tensor>> rowSets(Random random, int k) {
    List<Map<String, Tensor>> sets = new ArrayList<>();
    for (long rows : ROWS) {
      sets.add(Map.of("a", uniform(random, -1, 1, 1, rows, k)));
    }
    return sets;
  }

  private void check(Product product) throws OrtException {
    Random random = new Random(product.name().hashCode());
    AgainstOnnxRuntime.check(
        matMulNBits(directory, product, random), rowSets(random, product.k), FLOAT32_BOUND);
  }

  @Test
  void fourBitsWithoutZeroPointsOrBias() throws OrtException {
    check(new Product(4, 32, 320, 48, ZeroPoints.NONE, false));
  }

  @Test
  void fourBitsWithPackedZeroPointsAndBiasOverAShortLastBlock() throws OrtException {
    // 9 blocks of 32, the last of 16: the zero points' rows are 5 bytes, the last half-empty
    check(new Product(4, 32, 272, 40, ZeroPoints.PACKED, true));
  }

  @Test
  void fourBitsInBlocksOf128WithFloatZeroPoints() throws OrtException {
    check(new Product(4, 128, 256, 36, ZeroPoints.FLOAT, false));
  }

  @Test
  void eightBitsWithoutZeroPointsWithBias() throws OrtException {
    check(new Product(8, 32, 96, 40, ZeroPoints.NONE, true));
  }

  @Test
  void eightBitsInBlocksOf128WithPackedZeroPointsOverAShortLastBlock() throws OrtException {
    check(new Product(8, 128, 200, 24, ZeroPoints.PACKED, false));
  }

  @Test
  void columnsFewerThanAPanelAndNotFillingOne() throws OrtException {
    // OpenCL lays columns out in panels of 16, of 8 or 4 when N is smaller: 6 columns take a
    // panel of 4 and a part one, 13 a panel of 8 and a part one
    check(new Product(4, 32, 96, 6, ZeroPoints.PACKED, true));
    check(new Product(8, 32, 80, 13, ZeroPoints.NONE, false));
  }

  /** One GatherBlockQuantized table. */
  record Table(int bits, int blockSize, int rows, int columns, boolean zeroPoints) {
    String name() {
      return "gbq"
          + bits
          + "_b"
          + blockSize
          + "_"
          + rows
          + "x"
          + columns
          + (zeroPoints ? "_zp" : "");
    }
  }

  static Path gatherBlockQuantized(Path directory, Table table, Random random) {
    BlockQuantization layout = new BlockQuantization(table.bits, table.blockSize, table.columns);
    OneNodeModel model =
        OneNodeModel.of(MicrosoftOps.DOMAIN, "GatherBlockQuantized")
            .weight("data", bytes(random, table.rows, layout.rowBytes()))
            .input("ids", DType.INT64, "batch", "rows")
            .weight("scales", scales(random, table.rows, layout.blocks()));
    if (table.zeroPoints) {
      model.weight("zero_points", bytes(random, table.rows, layout.zeroPointRowBytes()));
    }
    return model
        .output("y", DType.FLOAT32, "batch", "rows", table.columns)
        .attribute("bits", (long) table.bits)
        .attribute("block_size", (long) table.blockSize)
        .attribute("gather_axis", 0L)
        .attribute("quantize_axis", 1L)
        .write(directory, table.name());
  }

  static List<Map<String, Tensor>> idSets(Random random, int tableRows) {
    List<Map<String, Tensor>> sets = new ArrayList<>();
    for (long rows : ROWS) {
      long batch = rows == 16 ? 2 : 1;
      Tensor ids = Tensor.allocate(DType.INT64, batch, rows);
      for (int i = 0; i < ids.size(); i++) {
        ids.setLong(i, random.nextInt(tableRows));
      }
      sets.add(Map.of("ids", ids));
    }
    return sets;
  }

  private void check(Table table) throws OrtException {
    Random random = new Random(table.name().hashCode());
    AgainstOnnxRuntime.check(
        gatherBlockQuantized(directory, table, random), idSets(random, table.rows), FLOAT32_BOUND);
  }

  @Test
  void gatherFourBitRowsWithoutZeroPoints() throws OrtException {
    check(new Table(4, 32, 50, 64, false));
  }

  @Test
  void gatherFourBitRowsWithPackedZeroPointsInBlocksOf128() throws OrtException {
    check(new Table(4, 128, 30, 512, true));
  }

  @Test
  void gatherEightBitRowsWithZeroPoints() throws OrtException {
    check(new Table(8, 32, 40, 96, true));
  }

  @Test
  void gatherEightBitRowsInBlocksOf128() throws OrtException {
    check(new Table(8, 128, 20, 256, false));
  }

  private static Tensor bytes(Random random, long... shape) {
    Tensor t = Tensor.allocate(DType.UINT8, shape);
    for (int i = 0; i < t.size(); i++) {
      t.setLong(i, random.nextInt(256));
    }
    return t;
  }

  /** Scales of either sign, none near zero. */
  private static Tensor scales(Random random, long... shape) {
    Tensor t = Tensor.allocate(DType.FLOAT32, shape);
    for (int i = 0; i < t.size(); i++) {
      t.setFloat(i, (0.01f + random.nextFloat() * 0.1f) * (random.nextBoolean() ? 1 : -1));
    }
    return t;
  }

  private static Tensor uniform(Random random, float low, float high, long... shape) {
    Tensor t = Tensor.allocate(DType.FLOAT32, shape);
    for (int i = 0; i < t.size(); i++) {
      t.setFloat(i, low + random.nextFloat() * (high - low));
    }
    return t;
  }
}
