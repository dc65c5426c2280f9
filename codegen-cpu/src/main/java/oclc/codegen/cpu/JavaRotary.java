package oclc.codegen.cpu;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import oclc.artifact.Manifest.Argument;
import oclc.artifact.Manifest.Variant;
import oclc.codegen.cpu.kernels.CpuKernel;
import oclc.codegen.cpu.kernels.Elements;
import oclc.codegen.cpu.kernels.HostValues;
import oclc.codegen.cpu.kernels.Operand;
import oclc.codegen.cpu.linalg.WorkerPool;
import oclc.ir.DType;
import oclc.ir.Node;

/**
 * The Java side of the RotaryEmbedding family (opset 23): float32 input [batch, heads, seq, head]
 * or [batch, seq, heads · head] (num_heads given), caches [max position, rotary / 2] rowed by int32
 * or int64 position ids [batch or 1, seq], or without them [batch, seq, rotary / 2] rowed by batch
 * and position. Each (batch, position, head) row is one work item: its first {@code rotary} dims
 * rotated in pairs (halves, or neighbours when interleaved), the rest copied, as the reference
 * rotates them.
 */
public final class JavaRotary {
  private JavaRotary() {}

  public static final JavaFamily FAMILY =
      JavaFamily.builder().op("RotaryEmbedding", "java", JavaRotary::lower).build();

  private static Optional<List<Variant>> lower(Node node, JavaLowering context) {
    String x = node.inputs().get(0);
    List<String> inputs = node.inputs().stream().filter(i -> !i.isEmpty()).toList();
    int rank = context.shape(x).size();
    long heads = node.attributes().getInt("num_heads", 0);
    boolean positions = inputs.size() > 3;
    if (context.dtype(x) != DType.FLOAT32
        || context.dtype(inputs.get(1)) != DType.FLOAT32
        || context.dtype(inputs.get(2)) != DType.FLOAT32
        || (positions && !context.dtype(inputs.get(3)).isInteger())
        || !(rank == 4 || (rank == 3 && heads > 0))) {
      return Optional.empty();
    }
    Spec spec =
        new Spec(
            rank == 4 ? 0 : heads,
            node.attributes().getInt("rotary_embedding_dim", 0),
            node.attributes().getInt("interleaved", 0) != 0);
    String kernel = context.kernel("rotary" + (spec.interleaved() ? "_interleaved" : ""), spec);
    List<Argument> arguments = new ArrayList<>();
    inputs.forEach(i -> arguments.add(context.read(i)));
    arguments.add(new Argument.Buffer(node.outputs().get(0)));
    return Optional.of(
        List.of(
            JavaVariants.single(
                kernel,
                JavaVariants.dispatch(kernel, arguments, JavaVariants.elements(context, x)))));
  }

  /**
   * The kernel as the artifact records it: num_heads of a 3-D input (0 for 4-D), the rotated dims
   * (0: the whole head) and the pairing.
   */
  public record Spec(long heads, long rotary, boolean interleaved) implements JavaKernelSpec.Own {
    @Override
    public CpuKernel kernel(WorkerPool pool, HostValues host) {
      return new Kernel(pool, this);
    }
  }

  /** Operands: x, cos, sin, [positions,] y. */
  private static final class Kernel extends CpuKernel {
    private final Spec spec;
    private Operand x;
    private Operand cos;
    private Operand sin;
    private Operand positions;
    private Operand y;
    private long heads;
    private long seq;
    private long head;
    private long half;
    private boolean fourD;

    Kernel(WorkerPool pool, Spec spec) {
      super(pool);
      this.spec = spec;
    }

    @Override
    public void bind(Operand[] buffers, long[] scalars) {
      x = buffers[0];
      cos = buffers[1];
      sin = buffers[2];
      positions = buffers.length > 4 ? buffers[3] : null;
      y = buffers[buffers.length - 1];
      if (!x.contiguous() || !y.contiguous() || !cos.contiguous() || !sin.contiguous()) {
        throw new IllegalStateException("RotaryEmbedding reads and writes row-major");
      }
      long[] shape = x.shape();
      fourD = shape.length == 4;
      heads = fourD ? shape[1] : spec.heads();
      seq = fourD ? shape[2] : shape[1];
      head = fourD ? shape[3] : shape[2] / heads;
      half = (spec.rotary() == 0 ? head : spec.rotary()) / 2;
      split(shape[0] * seq * heads, head);
    }

    @Override
    protected void compute(long from, long to) {
      float[] in = x.array();
      float[] out = y.array();
      float[] c = cos.array();
      float[] s = sin.array();
      int inBase = x.floatOffset();
      int outBase = y.floatOffset();
      for (long item = from; item < to; item++) {
        long b = item / (seq * heads);
        long position = item / heads % seq;
        long h = item % heads;
        long row =
            fourD
                ? ((b * heads + h) * seq + position) * head
                : ((b * seq + position) * heads + h) * head;
        long angles = angleRow(b, position) * half;
        int first = (int) (inBase + row);
        int target = (int) (outBase + row);
        System.arraycopy(in, first, out, target, (int) head);
        for (long i = 0; i < half; i++) {
          int one = (int) (spec.interleaved() ? 2 * i : i);
          int other = (int) (spec.interleaved() ? 2 * i + 1 : i + half);
          double cosine = c[(int) (cos.floatOffset() + angles + i)];
          double sine = s[(int) (sin.floatOffset() + angles + i)];
          double x1 = in[first + one];
          double x2 = in[first + other];
          out[target + one] = (float) (cosine * x1 - sine * x2);
          out[target + other] = (float) (sine * x1 + cosine * x2);
        }
      }
    }

    /** The caches' row: the position id, or (without ids) the batch's row of positions. */
    private long angleRow(long b, long position) {
      if (positions == null) {
        return b * seq + position;
      }
      long rowOfBatch = positions.shape()[0] == 1 ? 0 : b;
      long at = (rowOfBatch * seq + position) * positions.dtype().byteSize();
      return Elements.getLong(positions.memory(), positions.byteOffset() + at, positions.dtype());
    }
  }
}
