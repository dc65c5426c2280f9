package oclc.codegen.opencl;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import oclc.artifact.Manifest.Variant;
import oclc.ir.Dim;
import oclc.ir.Node;
import oclc.lowering.Dims;

/**
 * MatMul and Gemm as a {@link StridedProduct}, for what the packed and batched kernels do not take:
 * MatMul of vectors (a 1-D A is one row, a 1-D B one column, and that axis leaves the output),
 * batches that broadcast partly, other element types; Gemm of two activations, transposed, with a C
 * of any shape that broadcasts to [M, N].
 */
final class StridedMatMul {
  private StridedMatMul() {}

  static Variant matMul(Node node, LoweringContext context) {
    String a = node.inputs().get(0);
    String b = node.inputs().get(1);
    String output = node.outputs().get(0);
    List<Dim> aShape = context.shape(a);
    List<Dim> bShape = context.shape(b);
    List<Dim> outShape = context.shape(output);
    if (aShape.isEmpty() || bShape.isEmpty()) {
      throw new NotLowerableException("MatMul takes operands of rank 1 or more");
    }
    boolean aVector = aShape.size() == 1;
    boolean bVector = bShape.size() == 1;
    Dim k = aShape.getLast();
    Dim m = aVector ? Dim.of(1) : aShape.get(aShape.size() - 2);
    Dim n = bVector ? Dim.of(1) : bShape.getLast();
    List<Dim> aStrides = context.strides(a);
    List<Dim> bStrides = context.strides(b);
    int matrixAxes = (aVector ? 0 : 1) + (bVector ? 0 : 1);
    List<Long> batchShape =
        outShape.subList(0, outShape.size() - matrixAxes).stream()
            .map(d -> StridedProduct.constant(d, "a batch dim of '" + output + "'"))
            .toList();
    var aOperand =
        new StridedProduct.Operand(
            a,
            aVector ? Dim.of(0) : aStrides.get(aShape.size() - 2),
            Dim.of(0),
            aStrides.getLast(),
            batchStrides(aShape, aStrides, aVector ? 1 : 2, batchShape.size(), a));
    var bOperand =
        new StridedProduct.Operand(
            b,
            Dim.of(0),
            bVector ? Dim.of(0) : bStrides.getLast(),
            bStrides.get(bShape.size() - (bVector ? 1 : 2)),
            batchStrides(bShape, bStrides, bVector ? 1 : 2, batchShape.size(), b));
    return new StridedProduct(
            m,
            n,
            k,
            aOperand,
            Optional.of(bOperand),
            Optional.empty(),
            Optional.empty(),
            0f,
            batchShape)
        .lower(node, context, output);
  }

  /**
   * An operand's strides along the output's batch axes: 0 where it has no such axis or one of size
   * 1.
   */
  private static List<Long> batchStrides(
      List<Dim> shape, List<Dim> strides, int matrixRank, int batchRank, String value) {
    int own = shape.size() - matrixRank;
    List<Long> result = new ArrayList<>();
    for (int axis = 0; axis < batchRank; axis++) {
      int mine = axis - (batchRank - own);
      result.add(
          mine < 0 || Dims.isOne(shape.get(mine))
              ? 0L
              : StridedProduct.constant(strides.get(mine), "a batch stride of '" + value + "'"));
    }
    return result;
  }

  /**
   * Gemm: alpha · A' · B' + beta · C, A' and B' transposed by swapping strides, C broadcast by zero
   * strides.
   */
  static Variant gemm(Node node, LoweringContext context) {
    String a = node.inputs().get(0);
    String b = node.inputs().get(1);
    List<Dim> aShape = context.shape(a);
    List<Dim> bShape = context.shape(b);
    if (aShape.size() != 2 || bShape.size() != 2) {
      throw new NotLowerableException(
          "Gemm takes matrices, not ranks " + aShape.size() + " and " + bShape.size());
    }
    boolean transA = node.attributes().getInt("transA", 0) != 0;
    boolean transB = node.attributes().getInt("transB", 0) != 0;
    List<Dim> aStrides = context.strides(a);
    List<Dim> bStrides = context.strides(b);
    Dim m = aShape.get(transA ? 1 : 0);
    Dim k = aShape.get(transA ? 0 : 1);
    Dim n = bShape.get(transB ? 0 : 1);
    var aOperand =
        StridedProduct.Operand.unbatched(
            a, aStrides.get(transA ? 1 : 0), Dim.of(0), aStrides.get(transA ? 0 : 1));
    var bOperand =
        StridedProduct.Operand.unbatched(
            b, Dim.of(0), bStrides.get(transB ? 0 : 1), bStrides.get(transB ? 1 : 0));
    Optional<StridedProduct.Operand> c = Optional.empty();
    if (node.inputs().size() > 2 && !node.inputs().get(2).isEmpty()) {
      c = Optional.of(bias(context, node.inputs().get(2)));
    }
    float alpha = node.attributes().getFloat("alpha", 1f);
    float beta = node.attributes().getFloat("beta", 1f);
    return new StridedProduct(
            m, n, k, aOperand, Optional.of(bOperand), c, Optional.of(alpha), beta, List.of())
        .lower(node, context, node.outputs().get(0));
  }

  /**
   * C of rank 0, 1 or 2, broadcast to [M, N] (right-aligned): a zero stride along each axis it
   * lacks or has as 1.
   */
  private static StridedProduct.Operand bias(LoweringContext context, String c) {
    List<Dim> shape = context.shape(c);
    if (shape.size() > 2) {
      throw new NotLowerableException(
          "Gemm's C has rank " + shape.size() + "; it broadcasts to [M, N]");
    }
    List<Dim> strides = context.strides(c);
    Dim[] rowAndColumn = {Dim.of(0), Dim.of(0)};
    for (int axis = 0; axis < shape.size(); axis++) {
      rowAndColumn[axis + 2 - shape.size()] =
          Dims.isOne(shape.get(axis)) ? Dim.of(0) : strides.get(axis);
    }
    return StridedProduct.Operand.unbatched(c, rowAndColumn[0], rowAndColumn[1], Dim.of(0));
  }
}
