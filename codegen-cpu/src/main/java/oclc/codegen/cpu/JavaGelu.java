package oclc.codegen.cpu;

import static oclc.codegen.cpu.JavaVariants.allFloat32;

import java.util.List;
import java.util.Optional;
import oclc.artifact.Manifest.Variant;
import oclc.codegen.cpu.kernels.CpuKernel;
import oclc.codegen.cpu.kernels.HostValues;
import oclc.codegen.cpu.kernels.Operand;
import oclc.codegen.cpu.linalg.WorkerPool;
import oclc.ir.Node;
import oclc.ir.ops.SpecialFunctions;

/**
 * The Java kernel of ONNX's Gelu (opset 20), exact ({@code 0.5·x·(1 + erf(x/√2))}) or tanh
 * approximated, float32, in plain Java: each element computed in double as the reference computes
 * it (the Vector API has no erf). ONNX Runtime's BiasGelu and Gelu decompose into it.
 */
public final class JavaGelu {
  private JavaGelu() {}

  static Optional<List<Variant>> lower(Node node, JavaLowering context) {
    if (!allFloat32(node, context)) {
      return Optional.empty();
    }
    boolean tanh = node.attributes().getString("approximate", "none").equals("tanh");
    String kernel = context.kernel(tanh ? "gelu_tanh" : "gelu", new Spec(tanh));
    return JavaVariants.oneDispatch(
        kernel, node, context, JavaVariants.elements(context, node.outputs().get(0)));
  }

  /** The kernel as the artifact records it: which form. */
  public record Spec(boolean tanh) implements JavaKernelSpec.Own {
    @Override
    public CpuKernel kernel(WorkerPool pool, HostValues host) {
      return new Kernel(pool, tanh);
    }
  }

  /** Operands: x, y, both contiguous float32 of one shape; each element one work item. */
  private static final class Kernel extends CpuKernel {
    /** The cost of one element in operations, for the split: erf or tanh in double. */
    private static final long COST = 40;

    private static final double ROOT_TWO_OVER_PI = Math.sqrt(2 / Math.PI);

    private final boolean tanh;
    private Operand x;
    private Operand y;

    Kernel(WorkerPool pool, boolean tanh) {
      super(pool);
      this.tanh = tanh;
    }

    @Override
    public void bind(Operand[] buffers, long[] scalars) {
      x = buffers[0];
      y = buffers[1];
      if (!x.contiguous() || !y.contiguous()) {
        throw new IllegalStateException("Gelu reads and writes row-major, not through strides");
      }
      split(y.elementCount(), COST);
    }

    @Override
    protected void compute(long from, long to) {
      float[] in = x.array();
      float[] out = y.array();
      int xo = x.floatOffset();
      int yo = y.floatOffset();
      for (int i = (int) from; i < to; i++) {
        double v = in[xo + i];
        double gate =
            tanh
                ? Math.tanh(ROOT_TWO_OVER_PI * (v + 0.044715 * v * v * v))
                : SpecialFunctions.erf(v / Math.sqrt(2));
        out[yo + i] = (float) (0.5 * v * (1 + gate));
      }
    }
  }
}
