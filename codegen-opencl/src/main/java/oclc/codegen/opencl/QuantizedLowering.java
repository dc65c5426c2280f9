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
 * GatherBlockQuantized as an embedding lookup of packed rows. The packed bytes and scales are read
 * as the node stores them; the zero points become one float per block at compile time.
 */
public final class QuantizedLowering {
  private QuantizedLowering() {}

  /** MatMulNBits' lowering. */
  public static final OpenClFamily MATMUL = OpenClFamily.of(QuantizedLowering::matMul);

  /** GatherBlockQuantized's lowering. */
  public static final OpenClFamily GATHER = OpenClFamily.of(QuantizedLowering::gather);

  /** One MatMulNBits weight's layout as the kernels take it: N columns of K values in blocks. */
  public record Product(BlockQuantization layout, long n, boolean hasBias) {
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
      return Map.of(
          "four", layout.bits() == 4,
          "bits", layout.bits(),
          "block", layout.blockSize(),
          "blockBytes", layout.blockBytes(),
          "blocks", layout.blocks(),
          "lastBlock", lastBlock,
          "k", layout.length(),
          "n", n,
          "hasBias", hasBias);
    }
  }

  /** The decode kernel: a work-item per column. */
  public static KernelSource gemv(Product product) {
    return KernelSource.rendered(
        "quantized", "quantizedGemv", "quantized_gemv_" + product.sizes(), product.arguments());
  }

  /** The prefill kernel: a work-item per column and tile of {@code rows} rows. */
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
    List<Argument> buffers = new ArrayList<>();
    buffers.add(context.read(a));
    buffers.add(context.read(inputs.get(1)));
    buffers.add(context.read(inputs.get(2)));
    buffers.add(zeroPoints(node, context, layout, n, present(inputs, 3) ? inputs.get(3) : null));
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
                List.of(context.dispatch(gemv(product), buffers, List.of(Dim.of(n))))));
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
                        List.of(Dim.of(n), rows.ceilDiv(Dim.of(tile)))))));
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

  /** The float table of every block's zero point (the default without a zero-points input). */
  private static Argument.Buffer zeroPoints(
      Node node, LoweringContext context, BlockQuantization layout, long rows, String input) {
    Tensor given =
        input == null
            ? null
            : context
                .constant(input)
                .orElseThrow(
                    () ->
                        new NotLowerableException(
                            "the quantized kernels need constant zero points"));
    float[] table = layout.zeroPointTable(given, rows);
    return context.param(
        (input == null ? node.name() + "#default" : input) + "#zero-points",
        Tensor.ofFloats(new long[] {table.length}, table));
  }
}
