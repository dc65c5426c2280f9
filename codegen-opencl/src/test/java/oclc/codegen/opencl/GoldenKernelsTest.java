package oclc.codegen.opencl;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import oclc.ir.Attributes;
import oclc.ir.DType;
import oclc.ir.Node;
import oclc.ir.Shape;
import oclc.ir.TensorType;
import org.junit.jupiter.api.Test;

/**
 * The generated OpenCL C of representative kernels against reviewed golden files, so that a
 * refactor of the generator leaves every kernel text unchanged. After an intended change, bless:
 * {@code mvn -pl codegen-opencl test -Dtest=GoldenKernelsTest -Doclc.bless=true}, then review the diff.
 */
class GoldenKernelsTest {
  private static final Path GOLDEN = Path.of("src", "test", "resources", "golden");

  private static void check(KernelSource kernel) throws IOException {
    Path file = GOLDEN.resolve(kernel.kernelName() + ".cl");
    if (Boolean.getBoolean("oclc.bless")) {
      Files.writeString(file, kernel.source());
    }
    assertEquals(Files.readString(file), kernel.source(), kernel.kernelName() + " changed; review and bless");
  }

  private static KernelSource elementwise(String op, int inputs) {
    List<String> names = List.of("x", "y", "z").subList(0, inputs);
    Node node = new Node("n", "", op, names, List.of("y"), Attributes.NONE);
    return ElementwiseKernels.lower(node, new TensorType(DType.FLOAT32, Shape.of(4))).orElseThrow();
  }

  @Test
  void elementwiseKernelsAreUnchanged() throws IOException {
    check(elementwise("Tanh", 1));
    check(elementwise("Add", 2));
    check(elementwise("Where", 3));
  }

  @Test
  void matmulKernelsAreUnchanged() throws IOException {
    check(MatMulKernels.gemv("gemv_w8", 8, true));
    check(MatMulKernels.gemm("gemm_w4_r4", 4, 4, false));
    check(MatMulKernels.batched("batched_matmul_c4", 4));
  }

  @Test
  void rowKernelsAreUnchanged() throws IOException {
    check(RowKernels.softmax("softmax_g64", 64, false));
    check(RowKernels.layerNormalization("layer_norm_g64", 64));
    check(RowKernels.reduce("reduce_mean_f32_g64", 64, false, Fold.of("ReduceMean", DType.FLOAT32).orElseThrow(),
        DType.FLOAT32));
    check(RowKernels.reduce("reduce_log_sum_exp_f32_g8_strided", 8, true,
        Fold.of("ReduceLogSumExp", DType.FLOAT32).orElseThrow(), DType.FLOAT32));
    check(RowKernels.argExtremum("argmax_last_f32_g4_strided", 4, true, DType.FLOAT32, true, true));
  }

  @Test
  void movementKernelsAreUnchanged() throws IOException {
    check(MovementKernels.stridedCopy(DType.FLOAT32));
    check(GatherKernels.rows(DType.FLOAT32));
    check(GatherKernels.axis(DType.FLOAT32, DType.INT32));
    check(GatherKernels.nd(DType.FLOAT32, DType.INT64, 2));
    check(MovementKernels.stridedCopy(DType.FLOAT32, 8));
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
