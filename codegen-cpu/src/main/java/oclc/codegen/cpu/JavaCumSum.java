package oclc.codegen.cpu;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import oclc.artifact.Manifest.Variant;
import oclc.codegen.cpu.kernels.CpuKernel;
import oclc.codegen.cpu.kernels.Elements;
import oclc.codegen.cpu.kernels.HostValues;
import oclc.codegen.cpu.kernels.Operand;
import oclc.codegen.cpu.linalg.WorkerPool;
import oclc.ir.DType;
import oclc.ir.Node;
import oclc.ir.OclcException;

/**
 * The Java side of the CumSum family: its lowering, its kernel's spec and the kernel, side by side.
 * float32, float64, int32 and int64 along an axis read from its int32/int64 input when the kernel
 * runs (it may be a graph input); exclusive and reverse as the attributes say. Each line along the
 * axis is one work item, scanned in order: floats summed in double and integers in long, wrapping
 * where the element type does, as the reference sums them.
 */
public final class JavaCumSum {
  private JavaCumSum() {}

  public static final JavaFamily FAMILY =
      JavaFamily.builder().op("CumSum", "java", JavaCumSum::lower).build();

  private static final Set<DType> SUMMED =
      Set.of(DType.FLOAT32, DType.FLOAT64, DType.INT32, DType.INT64);

  private static Optional<List<Variant>> lower(Node node, JavaLowering context) {
    String x = node.inputs().get(0);
    DType axis = context.dtype(node.inputs().get(1));
    if (!SUMMED.contains(context.dtype(x))
        || (axis != DType.INT32 && axis != DType.INT64)
        || context.shape(x).isEmpty()) {
      return Optional.empty();
    }
    Spec spec =
        new Spec(
            node.attributes().getInt("exclusive", 0) != 0,
            node.attributes().getInt("reverse", 0) != 0);
    String kernel =
        context.kernel(
            "cumsum" + (spec.exclusive() ? "_exclusive" : "") + (spec.reverse() ? "_reverse" : ""),
            spec);
    return JavaVariants.oneDispatch(kernel, node, context, JavaVariants.elements(context, x));
  }

  /** The kernel as the artifact records it: the attributes; the axis comes with the data. */
  public record Spec(boolean exclusive, boolean reverse) implements JavaKernelSpec.Own {
    @Override
    public CpuKernel kernel(WorkerPool pool, HostValues host) {
      return new Kernel(pool, exclusive, reverse);
    }
  }

  /** Operands: x, axis, y. The lines are split over the pool once the axis is read, at run. */
  private static final class Kernel extends CpuKernel {
    private final boolean exclusive;
    private final boolean reverse;
    private Operand x;
    private Operand axis;
    private Operand y;
    private long length;
    private long inner;

    Kernel(WorkerPool pool, boolean exclusive, boolean reverse) {
      super(pool);
      this.exclusive = exclusive;
      this.reverse = reverse;
    }

    @Override
    public void bind(Operand[] buffers, long[] scalars) {
      x = buffers[0];
      axis = buffers[1];
      y = buffers[2];
      if (!x.contiguous()) {
        throw new IllegalStateException("CumSum reads its input row-major, not through strides");
      }
    }

    @Override
    public void run() {
      long[] shape = x.shape();
      long a =
          axis.dtype() == DType.INT64
              ? axis.memory().get(ValueLayout.JAVA_LONG_UNALIGNED, axis.byteOffset())
              : axis.memory().get(ValueLayout.JAVA_INT_UNALIGNED, axis.byteOffset());
      if (a < -shape.length || a >= shape.length) {
        throw new OclcException(
            "CumSum: axis " + a + " is outside " + -shape.length + ".." + (shape.length - 1));
      }
      int at = (int) (a < 0 ? a + shape.length : a);
      length = shape[at];
      inner = 1;
      for (int d = at + 1; d < shape.length; d++) {
        inner *= shape[d];
      }
      split(length == 0 ? 0 : x.elementCount() / length, length);
      super.run();
    }

    @Override
    protected void compute(long from, long to) {
      MemorySegment in = x.memory();
      MemorySegment out = y.memory();
      DType type = x.dtype();
      long size = type.byteSize();
      for (long line = from; line < to; line++) {
        long first = line / inner * length * inner + line % inner;
        double floatSum = 0;
        long integerSum = 0;
        for (long step = 0; step < length; step++) {
          long k = reverse ? length - 1 - step : step;
          long at = (first + k * inner) * size;
          long source = x.byteOffset() + at;
          long target = y.byteOffset() + at;
          if (type.isFloat()) {
            double v = Elements.getDouble(in, source, type);
            Elements.setDouble(out, target, type, exclusive ? floatSum : floatSum + v);
            floatSum += v;
          } else {
            long v = Elements.getLong(in, source, type);
            Elements.setLong(out, target, type, exclusive ? integerSum : integerSum + v);
            integerSum += v;
          }
        }
      }
    }
  }
}
