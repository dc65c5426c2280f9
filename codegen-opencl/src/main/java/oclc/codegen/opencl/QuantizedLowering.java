package oclc.codegen.opencl;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import oclc.artifact.Manifest.Argument;
import oclc.artifact.Manifest.Variant;
import oclc.ir.DType;
import oclc.ir.Dim;
import oclc.ir.Node;
import oclc.ir.Tensor;
import oclc.ir.ops.BlockQuantization;
import oclc.lowering.Dims;
import oclc.lowering.Schedule;
import oclc.lowering.SizeRanges;

/**
 * Block-quantized weights ({@code quantized.stg}): MatMulNBits as a GEMV for the one-row class
 * (decode) and a GEMM of row tiles for the others, as the schedule's MatMul row classes say;
 * GatherBlockQuantized as an embedding lookup of packed rows. MatMulNBits' packed bytes, scales and
 * zero points are laid out once at compile time in panels of columns ({@link Panels}), so that
 * neighbouring columns' bytes are neighbours in memory; the gather reads the node's packed rows as
 * they are, its zero points as one float per block made at compile time.
 */
public final class QuantizedLowering {
  private QuantizedLowering() {}

  /** MatMulNBits' lowering. */
  public static final OpenClFamily MATMUL = OpenClFamily.of(QuantizedLowering::matMul);

  /** GatherBlockQuantized's lowering. */
  public static final OpenClFamily GATHER = OpenClFamily.of(QuantizedLowering::gather);

  /** One MatMulNBits weight's layout as the kernels take it: N columns of K values in blocks. */
  public record Product(BlockQuantization layout, long n, boolean hasBias) {
    /** The panels' width: a float vector of columns (16 where N allows, else 8 or 4). */
    int width() {
      return n >= 16 ? 16 : n >= 8 ? 8 : 4;
    }

    long panels() {
      return (n + width() - 1) / width();
    }

    String sizes() {
      return "b"
          + layout.bits()
          + "_bs"
          + layout.blockSize()
          + "_k"
          + layout.length()
          + "_n"
          + n
          + (hasBias ? "_bias" : "");
    }

    Map<String, Object> arguments() {
      long lastBlock = layout.length() - (layout.blocks() - 1) * layout.blockSize();
      return Map.ofEntries(
          Map.entry("four", layout.bits() == 4),
          Map.entry("bits", layout.bits()),
          Map.entry("block", layout.blockSize()),
          Map.entry("blockBytes", layout.blockBytes()),
          Map.entry("blocks", layout.blocks()),
          Map.entry("lastBlock", lastBlock),
          Map.entry("k", layout.length()),
          Map.entry("n", n),
          Map.entry("hasBias", hasBias),
          Map.entry("width", width()),
          Map.entry("panels", panels()),
          Map.entry("lanes", MatMulKernels.lanes(width())));
    }
  }

  /**
   * A node's weights in panels of {@code width} columns, zero past N: {@code bytes[(panel · blocks
   * · blob + byte) · width + lane]} is byte {@code byte} of column {@code panel · width + lane} of
   * B [N, blocks, blob], {@code scales} and {@code zeroPoints[(panel · blocks + block) · width +
   * lane]} that column's block's scale and (float) zero point.
   */
  record Panels(Tensor bytes, Tensor scales, Tensor zeroPoints) {
    static Panels of(Product product, Tensor b, Tensor scales, float[] zeroPoints) {
      BlockQuantization layout = product.layout();
      int width = product.width();
      int panels = Math.toIntExact(product.panels());
      // B's column: every block of blob bytes, the last one padded (not rowBytes' whole bytes).
      int rowBytes = Math.toIntExact(layout.blocks() * layout.blockBytes());
      int blocks = Math.toIntExact(layout.blocks());
      int n = Math.toIntExact(product.n());
      Tensor bytes = Tensor.allocate(DType.UINT8, (long) panels * rowBytes * width);
      float[] panelScales = new float[panels * blocks * width];
      float[] panelZeros = new float[panels * blocks * width];
      for (int column = 0; column < n; column++) {
        int panel = column / width;
        int lane = column % width;
        for (int at = 0; at < rowBytes; at++) {
          bytes.setLong((panel * rowBytes + at) * width + lane, b.getLong(column * rowBytes + at));
        }
        for (int block = 0; block < blocks; block++) {
          int to = (panel * blocks + block) * width + lane;
          panelScales[to] = scales.getFloat(column * blocks + block);
          panelZeros[to] = zeroPoints[column * blocks + block];
        }
      }
      long[] perBlock = {panelScales.length};
      return new Panels(
          bytes, Tensor.ofFloats(perBlock, panelScales), Tensor.ofFloats(perBlock, panelZeros));
    }
  }

  /** The decode kernel: a work-item per panel of columns. */
  public static KernelSource gemv(Product product) {
    return KernelSource.rendered(
        "quantized", "quantizedGemv", "quantized_gemv_" + product.sizes(), product.arguments());
  }

  /** The prefill kernel: a work-item per panel of columns and tile of {@code rows} rows. */
  public static KernelSource gemm(Product product, int rows) {
    Map<String, Object> arguments = new java.util.HashMap<>(product.arguments());
    arguments.put("rows", rows);
    arguments.put("tile", IntStream.range(0, rows).boxed().toList());
    return KernelSource.rendered(
        "quantized", "quantizedGemm", "quantized_gemm_r" + rows + "_" + product.sizes(), arguments);
  }

  /** The lookup of packed rows of a table of {@code rows} rows. */
  public static KernelSource gather(BlockQuantization layout, long rows, DType indexType) {
    String index = indexType == DType.INT64 ? "long" : "int";
    return KernelSource.rendered(
        "quantized",
        "quantizedGather",
        "quantized_gather_b"
            + layout.bits()
            + "_bs"
            + layout.blockSize()
            + "_"
            + rows
            + "x"
            + layout.length()
            + "_"
            + index,
        Map.of(
            "four", layout.bits() == 4,
            "bits", layout.bits(),
            "block", layout.blockSize(),
            "blocks", layout.blocks(),
            "rowBytes", layout.rowBytes(),
            "rows", rows,
            "length", layout.length(),
            "indexType", index));
  }

  private static List<Variant> matMul(Node node, LoweringContext context) {
    List<String> inputs = node.inputs();
    String a = inputs.get(0);
    if (context.dtype(a) != DType.FLOAT32) {
      throw new NotLowerableException("the quantized kernels take float32 activations");
    }
    BlockQuantization layout =
        new BlockQuantization(
            (int) node.attributes().getInt("bits", 4),
            (int) node.attributes().getInt("block_size"),
            node.attributes().getInt("K"));
    long n = node.attributes().getInt("N");
    boolean hasBias = present(inputs, 5);
    Product product = new Product(layout, n, hasBias);
    Panels panels =
        Panels.of(
            product,
            constant(node, context, inputs.get(1)),
            constant(node, context, inputs.get(2)),
            zeroPointTable(node, context, layout, n, present(inputs, 3) ? inputs.get(3) : null));
    String panelled = "#panels" + product.width();
    List<Argument> buffers = new ArrayList<>();
    buffers.add(context.read(a));
    buffers.add(context.param(inputs.get(1) + panelled, panels.bytes()));
    buffers.add(context.param(inputs.get(2) + panelled, panels.scales()));
    buffers.add(
        context.param(
            (present(inputs, 3) ? inputs.get(3) : node.name() + "#default")
                + "#zero-points"
                + panelled,
            panels.zeroPoints()));
    if (hasBias) {
      buffers.add(context.read(inputs.get(5)));
    }
    buffers.add(context.write(node.outputs().get(0)));
    List<Dim> aShape = context.shape(a);
    Dim rows = Dims.product(aShape.subList(0, aShape.size() - 1));
    List<Variant> variants = new ArrayList<>();
    for (SizeRanges.Interval rowClass :
        context.ranges().classes(rows, context.schedule().matmulCuts())) {
      Schedule.MatMulClass choice = context.schedule().matmulClass(rowClass.max());
      if (choice.kernel().equals("gemv") && rowClass.max() <= 1) {
        variants.add(
            new Variant(
                "quantized_gemv",
                List.of(rowClass.on(rows)),
                List.of(
                    context.dispatch(gemv(product), buffers, List.of(Dim.of(product.panels()))))));
      } else {
        int tile = Math.max(1, choice.rowsPerItem());
        List<Argument> arguments = new ArrayList<>(buffers);
        arguments.add(Scalars.of(rows));
        variants.add(
            new Variant(
                "quantized_gemm_r" + tile,
                List.of(rowClass.on(rows)),
                List.of(
                    context.dispatch(
                        gemm(product, tile),
                        arguments,
                        List.of(Dim.of(product.panels()), rows.ceilDiv(Dim.of(tile)))))));
      }
    }
    return variants;
  }

  private static List<Variant> gather(Node node, LoweringContext context) {
    List<String> inputs = node.inputs();
    String data = inputs.get(0);
    List<Dim> dataShape = context.shape(data);
    if (dataShape.size() != 2 || node.attributes().getInt("gather_axis", 0) != 0) {
      throw new NotLowerableException(
          "the quantized gather takes rows (gather_axis 0) of a table of rank 2");
    }
    long rows = dataShape.get(0).constant();
    int bits = (int) node.attributes().getInt("bits", 4);
    BlockQuantization layout =
        new BlockQuantization(
            bits,
            (int) node.attributes().getInt("block_size", 128),
            dataShape.get(1).constant() * (8 / bits));
    DType indexType = context.dtype(inputs.get(1));
    Dim count = Dims.product(context.shape(inputs.get(1)));
    List<Argument> arguments =
        List.of(
            context.read(data),
            context.read(inputs.get(1)),
            context.read(inputs.get(2)),
            zeroPoints(node, context, layout, rows, present(inputs, 3) ? inputs.get(3) : null),
            context.write(node.outputs().get(0)));
    return NodeLowering.single(
        context.dispatch(
            gather(layout, rows, indexType), arguments, List.of(Dim.of(layout.length()), count)));
  }

  private static boolean present(List<String> inputs, int index) {
    return index < inputs.size() && !inputs.get(index).isEmpty();
  }

  /** The float table of every block's zero point, rows × blocks. */
  private static Argument.Buffer zeroPoints(
      Node node, LoweringContext context, BlockQuantization layout, long rows, String input) {
    float[] table = zeroPointTable(node, context, layout, rows, input);
    return context.param(
        (input == null ? node.name() + "#default" : input) + "#zero-points",
        Tensor.ofFloats(new long[] {table.length}, table));
  }

  /** Every block's zero point as a float (the default without a zero-points input). */
  private static float[] zeroPointTable(
      Node node, LoweringContext context, BlockQuantization layout, long rows, String input) {
    return layout.zeroPointTable(
        input == null ? null : constant(node, context, input, "zero points"), rows);
  }

  private static Tensor constant(Node node, LoweringContext context, String input) {
    return constant(node, context, input, "weights and scales");
  }

  private static Tensor constant(Node node, LoweringContext context, String input, String what) {
    return context
        .constant(input)
        .orElseThrow(
            () ->
                new NotLowerableException(
                    "the quantized kernels need constant "
                        + what
                        + " ('"
                        + input
                        + "' of "
                        + node.name()
                        + " is not)"));
  }
}
