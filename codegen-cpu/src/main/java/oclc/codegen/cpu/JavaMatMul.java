package oclc.codegen.cpu;

import static oclc.codegen.cpu.JavaVariants.allFloat16;
import static oclc.codegen.cpu.JavaVariants.allFloat32;
import static oclc.codegen.cpu.JavaVariants.dispatch;
import static oclc.codegen.cpu.JavaVariants.oneDispatch;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import oclc.artifact.Manifest.Argument;
import oclc.artifact.Manifest.Variant;
import oclc.codegen.cpu.linalg.PackedMatrix;
import oclc.ir.DType;
import oclc.ir.Dim;
import oclc.ir.Node;
import oclc.ir.Tensor;
import oclc.lowering.Dims;
import oclc.lowering.PackedWeights;
import oclc.lowering.Schedule;
import oclc.lowering.SizeRanges;

/**
 * The Java side of the MatMul family: MatMul and Gemm over packed weights, and the batched product
 * of two activations.
 */
public final class JavaMatMul {
  private JavaMatMul() {}

  public static final JavaFamily FAMILY =
      JavaFamily.builder()
          .op("MatMul", "vector", (node, context) -> matMul(node, context, false))
          .op("Gemm", "vector", (node, context) -> matMul(node, context, true))
          .build();

  /**
   * Constant float32 weights: packed at compile time ({@link PackedMatrix}), one variant per row
   * class of the schedule, GEMV for the one-row class and GEMM for the others. Two float32
   * activations of rank 2 or more whose batches are whole or shared: the batched product. float16
   * nodes the same, the weights packed as float16 and the activations converted as they are read.
   */
  private static Optional<List<Variant>> matMul(Node node, JavaLowering context, boolean gemm) {
    boolean half = allFloat16(node, context);
    if (!allFloat32(node, context) && !half) {
      return Optional.empty();
    }
    String a = node.inputs().get(0);
    String b = node.inputs().get(1);
    Optional<Tensor> weights = context.constant(b);
    List<Dim> aShape = context.shape(a);
    if (weights.isPresent() && weights.get().rank() == 2 && aShape.size() >= (gemm ? 2 : 1)) {
      if (gemm && (node.attributes().getInt("transA", 0) != 0 || aShape.size() != 2)) {
        return Optional.empty();
      }
      Tensor matrix = PackedWeights.weightMatrix(node, weights.get(), gemm);
      Optional<Optional<Tensor>> bias =
          gemm ? bias(node, context, matrix.dim(1)) : Optional.of(Optional.empty());
      if (bias.isEmpty() || !aShape.getLast().equals(Dim.of(matrix.dim(0)))) {
        return Optional.empty();
      }
      return Optional.of(packed(node, context, gemm, a, b, matrix, bias.get(), half));
    }
    if (gemm || weights.isPresent() && weights.get().rank() < 2) {
      return Optional.empty();
    }
    return batched(node, context, half);
  }

  /**
   * Whether {@code reader} is a batched MatMul of two activations with {@code value} its right
   * operand only, which the batched kernel reads through its strides (a permuted view).
   */
  static boolean readsThroughStrides(Node reader, String value, JavaLowering context) {
    return reader.opType().equals("MatMul")
        && reader.domain().isEmpty()
        && reader.inputs().indexOf(value) == 1
        && !reader.inputs().get(0).equals(value)
        && context.constant(reader.inputs().get(0)).isEmpty();
  }

  /**
   * Gemm's C times beta as one value per column (empty inside: no C); outside empty: a C no kernel
   * takes.
   */
  private static Optional<Optional<Tensor>> bias(Node node, JavaLowering context, long n) {
    if (node.inputs().size() < 3 || node.inputs().get(2).isEmpty()) {
      return Optional.of(Optional.empty());
    }
    return context
        .constant(node.inputs().get(2))
        .flatMap(c -> PackedWeights.columnBias(node, c, n))
        .map(Optional::of);
  }

  private static List<Variant> packed(
      Node node,
      JavaLowering context,
      boolean gemm,
      String a,
      String b,
      Tensor matrix,
      Optional<Tensor> bias,
      boolean half) {
    int k = (int) matrix.dim(0);
    int n = (int) matrix.dim(1);
    float[] plain = matrix.toFloatArray();
    float[] packed = new float[PackedMatrix.packedLength(k, n)];
    PackedMatrix.pack(plain, 0, k, n, packed, 0);
    String weights = b + "#java-packed" + (gemm ? "#" + node.name() : "");
    Tensor panels = Tensor.ofFloats(new long[] {packed.length}, packed);
    if (half) { // float16 weights are exact in float32: packed, then stored as float16 again
      Tensor halves = Tensor.allocate(DType.FLOAT16, packed.length);
      for (int i = 0; i < packed.length; i++) {
        halves.setFloat(i, packed[i]);
      }
      panels = halves;
    }
    List<Argument> arguments =
        new ArrayList<>(List.of(context.read(a), context.param(weights, panels)));
    bias.ifPresent(
        t -> arguments.add(context.param(node.inputs().get(2) + "#java-bias#" + node.name(), t)));
    arguments.add(new Argument.Buffer(node.outputs().get(0)));
    List<Dim> aShape = context.shape(a);
    Dim rows = Dims.product(aShape.subList(0, aShape.size() - 1));
    String sizes = "_k" + k + "_n" + n + (bias.isPresent() ? "_bias" : "") + (half ? "_f16" : "");
    List<Variant> variants = new ArrayList<>();
    for (SizeRanges.Interval rowClass :
        context.ranges().classes(rows, context.schedule().matmulCuts())) {
      Schedule.MatMulClass choice = context.schedule().matmulClass(rowClass.max());
      String kind = choice.kernel().equals("gemv") ? "GEMV" : "GEMM";
      String kernel =
          half
              ? context.kernel(
                  "matmul" + sizes, new JavaKernelSpec.HalfPackedMatMul(k, n, bias.isPresent()))
              : context.kernel(
                  kind.toLowerCase() + sizes,
                  new JavaKernelSpec.PackedMatMul(kind, k, n, bias.isPresent()));
      String name =
          kind.toLowerCase()
              + (rowClass.min() == rowClass.max() ? "_rows" + rowClass.min() : "_rows" + rowClass);
      if (variants.stream().anyMatch(v -> v.name().equals(name))) {
        continue;
      }
      variants.add(
          new Variant(
              name, List.of(rowClass.on(rows)), List.of(dispatch(kernel, arguments, rows))));
    }
    return variants;
  }

  private static Optional<List<Variant>> batched(Node node, JavaLowering context, boolean half) {
    List<Dim> aShape = context.shape(node.inputs().get(0));
    List<Dim> bShape = context.shape(node.inputs().get(1));
    List<Dim> outShape = context.shape(node.outputs().get(0));
    if (aShape.size() < 2 || bShape.size() < 2) {
      return Optional.empty();
    }
    List<Dim> batchDims = outShape.subList(0, outShape.size() - 2);
    if (!wholeOrShared(aShape, batchDims) || !wholeOrShared(bShape, batchDims)) {
      return Optional.empty();
    }
    String kernel =
        JavaVariants.kernel(context, "batched_matmul", new JavaKernelSpec.BatchedMatMul(), half);
    return oneDispatch(
        kernel, node, context, Dims.product(outShape.subList(0, outShape.size() - 1)));
  }

  /** An operand's batch dims: the output's (right-aligned), or of size 1 each where they differ. */
  private static boolean wholeOrShared(List<Dim> shape, List<Dim> batchDims) {
    List<Dim> own = shape.subList(0, shape.size() - 2);
    int shift = batchDims.size() - own.size();
    if (shift < 0) {
      return false;
    }
    for (int i = 0; i < own.size(); i++) {
      if (!own.get(i).equals(batchDims.get(i + shift)) && !Dims.isOne(own.get(i))) {
        return false;
      }
    }
    return true;
  }
}
