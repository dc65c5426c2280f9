package oclc.codegen.cpu.kernels;

import java.util.List;
import oclc.codegen.cpu.linalg.WorkerPool;
import oclc.ir.DType;

/**
 * Plain Java elementwise kernels over any of {@link Elements#TYPES}, with broadcasting: Cast, the
 * comparisons (float32 or signed integers in, bool out; NaN compares false), the bool logic ops and
 * integer Add, Sub and Mul (wrapping in the element type, as the reference's long arithmetic stored
 * in it does: position ids and lengths in int64). Element by element through the operands'
 * segments; rows split over the pool.
 */
final class TypedElementwiseKernel extends CpuKernel {
  static final List<String> COMPARISONS =
      List.of("Equal", "Less", "LessOrEqual", "Greater", "GreaterOrEqual");
  static final List<String> LOGIC = List.of("Not", "And", "Or", "Xor");
  static final List<String> INTEGER_ARITHMETIC = List.of("Add", "Sub", "Mul");

  private final String op;
  private Operand[] operands;
  private Walk walk;
  private int arity;

  TypedElementwiseKernel(WorkerPool pool, String op) {
    super(pool);
    this.op = op;
  }

  @Override
  public void bind(Operand[] buffers, long[] scalars) {
    operands = buffers;
    arity = buffers.length - 1;
    Operand out = buffers[arity];
    walk = Walk.broadcasting(buffers);
    split(out.elementCount() == 0 ? 0 : walk.rows(), walk.inner);
    reportWork(out.elementCount());
  }

  @Override
  protected void compute(long from, long to) {
    Operand out = operands[arity];
    Operand a = operands[0];
    Operand b = arity > 1 ? operands[1] : null;
    int outBytes = out.dtype().byteSize();
    int aBytes = a.dtype().byteSize();
    int bBytes = b == null ? 0 : b.dtype().byteSize();
    boolean integers = !a.dtype().isFloat();
    for (int r = (int) from; r < to; r++) {
      for (int i = 0; i < walk.inner; i++) {
        long o =
            out.byteOffset()
                + ((long) walk.rowOffsets[0][r] + (long) i * walk.innerStrides[0]) * outBytes;
        long x =
            a.byteOffset()
                + ((long) walk.rowOffsets[1][r] + (long) i * walk.innerStrides[1]) * aBytes;
        long y =
            b == null
                ? 0
                : b.byteOffset()
                    + ((long) walk.rowOffsets[2][r] + (long) i * walk.innerStrides[2]) * bBytes;
        switch (op) {
          case "Cast" -> {
            if (out.dtype() == DType.BOOL) {
              Elements.setLong(
                  out.memory(), o, DType.BOOL, Elements.getBool(a.memory(), x, a.dtype()) ? 1 : 0);
            } else if (a.dtype().isFloat()) {
              double v = Elements.getDouble(a.memory(), x, a.dtype());
              Elements.setDouble(
                  out.memory(), o, out.dtype(), !out.dtype().isFloat() && Double.isNaN(v) ? 0 : v);
            } else if (out.dtype().isFloat()) {
              Elements.setDouble(
                  out.memory(), o, out.dtype(), Elements.getLong(a.memory(), x, a.dtype()));
            } else {
              Elements.setLong(
                  out.memory(), o, out.dtype(), Elements.getLong(a.memory(), x, a.dtype()));
            }
          }
          case "Not" ->
              Elements.setLong(
                  out.memory(), o, DType.BOOL, Elements.getBool(a.memory(), x, a.dtype()) ? 0 : 1);
          case "And", "Or", "Xor" -> {
            boolean p = Elements.getBool(a.memory(), x, a.dtype());
            boolean q = Elements.getBool(b.memory(), y, b.dtype());
            boolean v = op.equals("And") ? p && q : op.equals("Or") ? p || q : p ^ q;
            Elements.setLong(out.memory(), o, DType.BOOL, v ? 1 : 0);
          }
          case "Add", "Sub", "Mul" -> {
            long p = Elements.getLong(a.memory(), x, a.dtype());
            long q = Elements.getLong(b.memory(), y, b.dtype());
            long v = op.equals("Add") ? p + q : op.equals("Sub") ? p - q : p * q;
            Elements.setLong(out.memory(), o, out.dtype(), v);
          }
          default -> {
            int c;
            if (integers) {
              c =
                  Long.compare(
                      Elements.getLong(a.memory(), x, a.dtype()),
                      Elements.getLong(b.memory(), y, b.dtype()));
            } else {
              double p = Elements.getDouble(a.memory(), x, a.dtype());
              double q = Elements.getDouble(b.memory(), y, b.dtype());
              c =
                  Double.isNaN(p) || Double.isNaN(q)
                      ? 2
                      : p < q ? -1 : p > q ? 1 : 0; // 2: unordered, every test false
            }
            boolean v =
                switch (op) {
                  case "Equal" -> c == 0;
                  case "Less" -> c == -1;
                  case "LessOrEqual" -> c == -1 || c == 0;
                  case "Greater" -> c == 1;
                  default -> c == 1 || c == 0;
                };
            Elements.setLong(out.memory(), o, DType.BOOL, v ? 1 : 0);
          }
        }
      }
    }
  }
}
