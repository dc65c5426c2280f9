package oclc.ir.ops;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import oclc.ir.Dim;
import oclc.ir.EvaluationContext;
import oclc.ir.InferenceContext;
import oclc.ir.OpDefinition;
import oclc.ir.Shape;
import oclc.ir.Tensor;
import oclc.ir.TensorType;

/**
 * MatMul with numpy semantics: batch dims broadcast, a 1-D operand is promoted to a matrix and its
 * dim removed from the result. Accumulates in double (floats) or long (integers).
 */
final class MatMulOp implements OpDefinition {
  @Override
  public String opType() {
    return "MatMul";
  }

  @Override
  public List<TensorType> inferTypes(InferenceContext context) {
    Shape a = context.inputShape(0);
    Shape b = context.inputShape(1);
    if (a.rank() == 0 || b.rank() == 0) {
      throw context.error("MatMul operands must have rank ≥ 1");
    }
    Shape a2 = a.rank() == 1 ? Shape.of(Dim.of(1), a.dim(0)) : a;
    Shape b2 = b.rank() == 1 ? Shape.of(b.dim(0), Dim.of(1)) : b;
    Dim k = a2.dim(a2.rank() - 1);
    Dim kb = b2.dim(b2.rank() - 2);
    if (k.isConstant() && kb.isConstant() && k.constant() != kb.constant()) {
      throw context.error("inner dims differ: " + a + " × " + b);
    }
    context.unify(k, kb, "the contracted dims");
    Shape batch =
        Broadcast.shapes(
            context,
            new Shape(a2.dims().subList(0, a2.rank() - 2)),
            new Shape(b2.dims().subList(0, b2.rank() - 2)));
    List<Dim> out = new ArrayList<>(batch.dims());
    if (a.rank() > 1) {
      out.add(a2.dim(a2.rank() - 2));
    }
    if (b.rank() > 1) {
      out.add(b2.dim(b2.rank() - 1));
    }
    return List.of(new TensorType(context.inputDType(0), new Shape(out)));
  }

  @Override
  public List<Tensor> evaluate(EvaluationContext context) {
    Tensor a = context.input(0);
    Tensor b = context.input(1);
    long[] as = a.rank() == 1 ? new long[] {1, a.dim(0)} : a.shape();
    long[] bs = b.rank() == 1 ? new long[] {b.dim(0), 1} : b.shape();
    int m = (int) as[as.length - 2];
    int k = (int) as[as.length - 1];
    int n = (int) bs[bs.length - 1];
    if (bs[bs.length - 2] != k) {
      throw context.error(
          "inner dims differ: " + Arrays.toString(a.shape()) + " × " + Arrays.toString(b.shape()));
    }
    long[] aBatch = Arrays.copyOf(as, as.length - 2);
    long[] bBatch = Arrays.copyOf(bs, bs.length - 2);
    long[] batch = Broadcast.shapes(aBatch, bBatch);
    int[] aMap = Broadcast.indexMap(batch, aBatch);
    int[] bMap = Broadcast.indexMap(batch, bBatch);
    List<Long> outShape = new ArrayList<>();
    Arrays.stream(batch).forEach(outShape::add);
    if (a.rank() > 1) {
      outShape.add((long) m);
    }
    if (b.rank() > 1) {
      outShape.add((long) n);
    }
    Tensor c = Tensor.allocate(a.dtype(), outShape.stream().mapToLong(Long::longValue).toArray());
    boolean floats = a.dtype().isFloat();
    double[] row = new double[n];
    long[] integerRow = new long[n];
    for (int p = 0; p < aMap.length; p++) {
      int aBase = aMap[p] * m * k;
      int bBase = bMap[p] * k * n;
      int cBase = p * m * n;
      for (int i = 0; i < m; i++) {
        Arrays.fill(row, 0);
        Arrays.fill(integerRow, 0);
        for (int kk = 0; kk < k; kk++) {
          int bRow = bBase + kk * n;
          if (floats) {
            double av = a.getFloat(aBase + i * k + kk);
            for (int j = 0; j < n; j++) {
              row[j] += av * b.getFloat(bRow + j);
            }
          } else {
            long av = a.getLong(aBase + i * k + kk);
            for (int j = 0; j < n; j++) {
              integerRow[j] += av * b.getLong(bRow + j);
            }
          }
        }
        for (int j = 0; j < n; j++) {
          if (floats) {
            c.setDouble(cBase + i * n + j, row[j]);
          } else {
            c.setLong(cBase + i * n + j, integerRow[j]);
          }
        }
      }
    }
    return List.of(c);
  }
}
