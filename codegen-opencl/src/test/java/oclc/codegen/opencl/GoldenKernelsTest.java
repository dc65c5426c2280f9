package oclc.codegen.opencl;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import oclc.ir.Attributes;
import oclc.ir.DType;
import oclc.ir.Node;
import oclc.ir.ops.BlockQuantization;
import oclc.lowering.CopyGeometry;
import oclc.lowering.Dims;
import org.junit.jupiter.api.Test;

/**
 * The generated OpenCL C of representative kernels against reviewed golden files, so that a
 * refactor of the generator leaves every kernel text unchanged. After an intended change, bless:
 * {@code mvn -pl codegen-opencl test -Dtest=GoldenKernelsTest -Doclc.bless=true}, then review the
 * diff.
 */
class GoldenKernelsTest {
  private static final Path GOLDEN = Path.of("src", "test", "resources", "golden");

  private static void check(KernelSource kernel) throws IOException {
    Path file = GOLDEN.resolve(kernel.kernelName() + ".cl");
    if (Boolean.getBoolean("oclc.bless")) {
      Files.writeString(file, kernel.source());
    }
    assertEquals(
        Files.readString(file),
        kernel.source(),
        kernel.kernelName() + " changed; review and bless");
  }

  private static Node node(String op, int inputs, Attributes attributes) {
    List<String> names = List.of("x", "y", "z").subList(0, inputs);
    return new Node("n", "", op, names, List.of("out"), attributes);
  }

  @Test
  void elementwiseKernelsAreUnchanged() throws IOException {
    check(ElementwiseKernels.unary(node("Tanh", 1, Attributes.NONE), DType.FLOAT32, DType.FLOAT32));
    check(
        ElementwiseKernels.binary(
            node("Add", 2, Attributes.NONE), DType.FLOAT32, DType.FLOAT32, DType.FLOAT32));
    check(ElementwiseKernels.select(DType.FLOAT32));
  }

  @Test
  void typedElementwiseKernelsAreUnchanged() throws IOException {
    check(
        ElementwiseKernels.binary(
            node("Div", 2, Attributes.NONE), DType.INT32, DType.INT32, DType.INT32));
    check(
        ElementwiseKernels.binary(
            node("Pow", 2, Attributes.NONE), DType.INT64, DType.INT32, DType.INT64));
    check(
        ElementwiseKernels.unary(
            node("LeakyRelu", 1, Attributes.NONE), DType.FLOAT64, DType.FLOAT64));
    check(ElementwiseKernels.nary(node("Mean", 3, Attributes.NONE), DType.FLOAT32, 3));
    check(ElementwiseKernels.cast(DType.FLOAT32, DType.UINT64));
    check(ElementwiseKernels.clip(DType.UINT8));
  }

  @Test
  void halfPrecisionAndFourAxisKernelsAreUnchanged() throws IOException {
    check(ElementwiseKernels.cast(DType.FLOAT64, DType.FLOAT16));
    check(ElementwiseKernels.cast(DType.FLOAT32, DType.BFLOAT16));
    check(
        ElementwiseKernels.binary(
            node("Mul", 2, Attributes.NONE), DType.FLOAT16, DType.FLOAT16, DType.FLOAT16));
    check(ElementwiseKernels.select(DType.FLOAT32, 4));
    check(ElementwiseKernels.nary(node("Max", 3, Attributes.NONE), DType.BFLOAT16, 3, 4));
  }

  @Test
  void matmulKernelsAreUnchanged() throws IOException {
    check(MatMulKernels.gemv("gemv_w16_bias_n192_k66", 16, 4, 1, true, 192, 66));
    check(MatMulKernels.gemv("gemv_w16_p4_n192_k66", 16, 2, 4, false, 192, 66));
    check(MatMulKernels.gemm("gemm_w4_r3_p2_n37_k70", 4, 3, 2, false, 37, 70));
    check(MatMulKernels.batched("batched_matmul_r4_w16", 4, 16));
  }

  @Test
  void quantizedKernelsAreUnchanged() throws IOException {
    // 4 bits in blocks of 32 with a short last block and a bias; 8 bits in blocks of 128
    var four = new QuantizedLowering.Product(new BlockQuantization(4, 32, 80), 40, true);
    var eight = new QuantizedLowering.Product(new BlockQuantization(8, 128, 768), 3072, false);
    check(QuantizedLowering.gemv(four));
    check(QuantizedLowering.gemv(eight));
    check(QuantizedLowering.gemm(four, 8));
    check(QuantizedLowering.gemm(eight, 4));
    check(QuantizedLowering.gather(new BlockQuantization(4, 32, 64), 50, DType.INT64));
    check(QuantizedLowering.gather(new BlockQuantization(8, 128, 256), 20, DType.INT32));
  }

  @Test
  void stridedProductAndRotaryKernelsAreUnchanged() throws IOException {
    check(MatMulKernels.strided("strided_gemm_bias_f32", "float", true, true, true));
    check(MatMulKernels.strided("strided_matmul_i64", "long", true, false, false));
    check(MatMulKernels.strided("strided_sum_f64", "double", false, false, false));
    check(RotaryLowering.kernel(DType.FLOAT32, DType.INT64));
    check(RotaryLowering.kernel(DType.FLOAT32, null));
  }

  @Test
  void rowKernelsAreUnchanged() throws IOException {
    check(RowKernels.softmax("softmax_g64", 64, false));
    check(RowKernels.layerNormalization("layer_norm_g64", 64));
    check(RowKernels.layerNormVector("layer_norm_statistics_v16", 16, true));
    check(RowKernels.softmaxVector("softmax_v16", 16, false));
    check(
        RowKernels.reduce(
            "reduce_mean_f32_g64",
            64,
            false,
            Fold.of("ReduceMean", DType.FLOAT32).orElseThrow(),
            DType.FLOAT32));
    check(
        RowKernels.reduce(
            "reduce_log_sum_exp_f32_g8_strided",
            8,
            true,
            Fold.of("ReduceLogSumExp", DType.FLOAT32).orElseThrow(),
            DType.FLOAT32));
    check(RowKernels.argExtremum("argmax_last_f32_g4_strided", 4, true, DType.FLOAT32, true, true));
  }

  @Test
  void movementKernelsAreUnchanged() throws IOException {
    check(MovementKernels.stridedCopy(DType.FLOAT32));
    check(GatherKernels.rows(DType.FLOAT32));
    check(GatherKernels.axis(DType.FLOAT32, DType.INT32));
    check(GatherKernels.nd(DType.FLOAT32, DType.INT64, 2));
    check(MovementKernels.stridedCopy(DType.FLOAT32, 8));
    check(
        MovementKernels.stridedCopy(
            DType.FLOAT32, CopyGeometry.transpose(Dims.of(2, 5, 3, 64), new long[] {0, 2, 1, 3})));
    check(
        MovementKernels.stridedCopy(
            DType.FLOAT32, CopyGeometry.transpose(Dims.of(2, 5, 30, 64), new long[] {0, 1, 3, 2})));
  }

  @Test
  void maskPadAndScatterKernelsAreUnchanged() throws IOException {
    check(MaskKernels.trilu(DType.FLOAT32, true, false));
    check(MaskKernels.trilu(DType.INT64, false, true));
    check(MaskKernels.oneHot(DType.FLOAT32, DType.INT64));
    check(PadLowering.kernel(DType.FLOAT32, "reflect"));
    check(ScatterKernels.axis(DType.FLOAT32, DType.INT64, "max"));
    check(ScatterKernels.nd(DType.FLOAT32, DType.INT64, "add", 2));
  }
}
