package oclc.codegen.opencl;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import oclc.artifact.Manifest.Argument;
import oclc.artifact.Manifest.Variant;
import oclc.ir.DType;
import oclc.ir.Dim;
import oclc.ir.Node;
import oclc.ir.Tensor;

/**
 * One product out[batch, i, j] = alpha · Σ_p a[i, j, p] · b[i, j, p] + beta · c[i, j] whose
 * operands are addressed by a stride per axis, and per batch at offsets from a table the compiler
 * fills: MatMul with vectors or partly broadcast batches, Gemm of two activations (transposes are
 * swapped strides, C's broadcast zero strides) and Einsum with at most one summed label. The output
 * is contiguous [batches, m, n]. One work-item per output element, no packing: the product of what
 * the packed and batched kernels do not take, not a fast path.
 *
 * @param batchShape the batch axes (constants: the table lists every batch)
 * @param alpha a scale, for Gemm
 * @param beta c's scale
 */
record StridedProduct(
    Dim m,
    Dim n,
    Dim k,
    Operand a,
    Optional<Operand> b,
    Optional<Operand> c,
    Optional<Float> alpha,
    float beta,
    List<Long> batchShape) {

  /** An operand: its value, its strides along i, j and the summed p, and along each batch axis. */
  record Operand(String value, Dim row, Dim column, Dim inner, List<Long> batchStrides) {
    Operand {
      batchStrides = List.copyOf(batchStrides);
    }

    /** An operand that does not vary along the batch axes (Gemm's). */
    static Operand unbatched(String value, Dim row, Dim column, Dim inner) {
      return new Operand(value, row, column, inner, List.of());
    }
  }

  StridedProduct {
    batchShape = List.copyOf(batchShape);
    if (c.isPresent() && alpha.isEmpty()) {
      throw new IllegalArgumentException("a product with c is scaled by alpha");
    }
  }

  /** The variant: one dispatch of the strided kernel of the operands' element type. */
  Variant lower(Node node, LoweringContext context, String output) {
    DType dtype = context.dtype(a.value());
    String type =
        switch (dtype) {
          case FLOAT32, FLOAT64, INT32, INT64, UINT32, UINT64 -> ElementTypes.bufferType(dtype);
          default ->
              throw new NotLowerableException(
                  "the strided product takes float32, float64 and 32- or 64-bit "
                      + "integers, not "
                      + dtype);
        };
    if (alpha.isPresent() && dtype.kind() != DType.Kind.FLOAT) {
      throw new NotLowerableException(
          "the scaled strided product takes float elements, not " + dtype);
    }
    String kernelName =
        "strided_"
            + (b.isEmpty() ? "sum" : alpha.isPresent() ? "gemm" : "matmul")
            + (c.isPresent() ? "_bias" : "")
            + "_"
            + ElementTypes.suffix(dtype);
    KernelSource kernel =
        MatMulKernels.strided(kernelName, type, b.isPresent(), alpha.isPresent(), c.isPresent());
    List<Argument> arguments = new ArrayList<>();
    arguments.add(context.read(a.value()));
    b.ifPresent(operand -> arguments.add(context.read(operand.value())));
    c.ifPresent(operand -> arguments.add(context.read(operand.value())));
    arguments.add(context.write(output));
    arguments.add(context.param(output + "#batch_offsets#" + node.name(), offsetTable()));
    arguments.addAll(Scalars.ints(List.of(m, n, k, a.row(), a.column(), a.inner())));
    b.ifPresent(
        operand ->
            arguments.addAll(
                Scalars.ints(List.of(operand.row(), operand.column(), operand.inner()))));
    c.ifPresent(
        operand -> arguments.addAll(Scalars.ints(List.of(operand.row(), operand.column()))));
    alpha.ifPresent(scale -> arguments.add(new Argument.Float(scale)));
    if (c.isPresent()) {
      arguments.add(new Argument.Float(beta));
    }
    long batches = batchShape.stream().mapToLong(Long::longValue).reduce(1, Math::multiplyExact);
    return new Variant(
        kernelName,
        List.of(),
        List.of(context.dispatch(kernel, arguments, List.of(n, m, Dim.of(batches)))));
  }

  /**
   * Per batch (row-major over the batch axes) the element offsets of a, b and c: int32 [batches ·
   * 3].
   */
  private Tensor offsetTable() {
    int batches =
        Math.toIntExact(
            batchShape.stream().mapToLong(Long::longValue).reduce(1, Math::multiplyExact));
    List<Operand> operands = new ArrayList<>(List.of(a));
    operands.add(b.orElse(null));
    operands.add(c.orElse(null));
    long[] table = new long[3 * batches];
    long[] index = new long[batchShape.size()];
    for (int batch = 0; batch < batches; batch++) {
      for (int slot = 0; slot < 3; slot++) {
        Operand operand = operands.get(slot);
        long offset = 0;
        for (int axis = 0;
            operand != null && axis < index.length && !operand.batchStrides().isEmpty();
            axis++) {
          offset += index[axis] * operand.batchStrides().get(axis);
        }
        table[3 * batch + slot] = Math.toIntExact(offset);
      }
      for (int axis = index.length - 1;
          axis >= 0 && ++index[axis] == batchShape.get(axis);
          axis--) {
        index[axis] = 0;
      }
    }
    return Tensor.ofLongs(DType.INT32, new long[] {table.length}, table);
  }

  /** A size the offset table needs at compile time. */
  static long constant(Dim dim, String what) {
    return dim.constantValue()
        .orElseThrow(
            () ->
                new NotLowerableException(
                    what
                        + " is "
                        + dim
                        + "; the strided product lists its batches at compile time"));
  }
}
