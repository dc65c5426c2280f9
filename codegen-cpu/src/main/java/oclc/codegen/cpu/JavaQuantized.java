package oclc.codegen.cpu;

import static oclc.codegen.cpu.JavaVariants.dispatch;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import oclc.artifact.Manifest.Argument;
import oclc.artifact.Manifest.Variant;
import oclc.codegen.cpu.kernels.CpuKernel;
import oclc.codegen.cpu.kernels.HostValues;
import oclc.codegen.cpu.kernels.Operand;
import oclc.codegen.cpu.linalg.QuantizedMatrix;
import oclc.codegen.cpu.linalg.WorkerPool;
import oclc.ir.DType;
import oclc.ir.Dim;
import oclc.ir.Node;
import oclc.ir.Tensor;
import oclc.ir.ops.BlockQuantization;
import oclc.lowering.Dims;
import oclc.lowering.Schedule;
import oclc.lowering.SizeRanges;

/**
 * The Java side of the quantized families: MatMulNBits over weights laid out once at compile time
 * for the Vector API ({@link QuantizedMatrix}), a GEMV for the one-row class and a GEMM for the
 * others, split over the pool by columns; GatherBlockQuantized reading the node's packed rows as
 * they are.
 */
public final class JavaQuantized {
  private JavaQuantized() {}

  public static final JavaFamily MATMUL =
      JavaFamily.builder().op("com.microsoft:MatMulNBits", "vector", JavaQuantized::matMul).build();

  public static final JavaFamily GATHER =
      JavaFamily.builder()
          .op("com.microsoft:GatherBlockQuantized", "java", JavaQuantized::gather)
          .build();

  private static boolean present(List<String> inputs, int index) {
    return index < inputs.size() && !inputs.get(index).isEmpty();
  }

  private static Optional<List<Variant>> matMul(Node node, JavaLowering context) {
    List<String> inputs = node.inputs();
    String a = inputs.get(0);
    Optional<Tensor> b = context.constant(inputs.get(1));
    Optional<Tensor> scales = context.constant(inputs.get(2));
    Optional<Tensor> zeroPoints =
        present(inputs, 3) ? context.constant(inputs.get(3)) : Optional.empty();
    Optional<Tensor> bias = present(inputs, 5) ? context.constant(inputs.get(5)) : Optional.empty();
    if (context.dtype(a) != DType.FLOAT32
        || b.isEmpty()
        || scales.isEmpty()
        || (present(inputs, 3) && zeroPoints.isEmpty())
        || (present(inputs, 5) && bias.isEmpty())) {
      return Optional.empty();
    }
    int bits = (int) node.attributes().getInt("bits", 4);
    int blockSize = (int) node.attributes().getInt("block_size");
    int k = (int) node.attributes().getInt("K");
    int n = (int) node.attributes().getInt("N");
    if ((bits != 4 && bits != 8) || blockSize <= 0 || blockSize % (32 / bits) != 0) {
      return Optional.empty(); // blocks must hold whole 32-bit words
    }
    BlockQuantization layout = new BlockQuantization(bits, blockSize, k);
    QuantizedMatrix matrix = new QuantizedMatrix(bits, k, n, blockSize);
    Prepared prepared = prepare(layout, matrix, b.get(), scales.get(), zeroPoints.orElse(null));
    String weights = inputs.get(1) + "#java-quantized";
    List<Argument> arguments = new ArrayList<>();
    arguments.add(context.read(a));
    arguments.add(context.param(weights + "#words", prepared.words));
    arguments.add(context.param(weights + "#scales", prepared.scales));
    if (zeroPoints.isPresent()) {
      arguments.add(context.param(weights + "#zero-points", prepared.zeroPoints));
    }
    if (matrix.tail() > 0) {
      arguments.add(context.param(weights + "#tail", prepared.tail));
    }
    bias.ifPresent(t -> arguments.add(context.read(inputs.get(5))));
    arguments.add(new Argument.Buffer(node.outputs().get(0)));
    List<Dim> aShape = context.shape(a);
    Dim rows = Dims.product(aShape.subList(0, aShape.size() - 1));
    String sizes =
        "_b" + bits + "_bs" + blockSize + "_k" + k + "_n" + n + (bias.isPresent() ? "_bias" : "");
    List<Variant> variants = new ArrayList<>();
    for (SizeRanges.Interval rowClass :
        context.ranges().classes(rows, context.schedule().matmulCuts())) {
      Schedule.MatMulClass choice = context.schedule().matmulClass(rowClass.max());
      boolean gemv = choice.kernel().equals("gemv") && rowClass.max() <= 1;
      String kind = gemv ? "quantized_gemv" : "quantized_gemm";
      String kernel =
          context.kernel(
              kind + sizes,
              new QuantizedMatMul(
                  bits, k, n, blockSize, zeroPoints.isPresent(), bias.isPresent(), gemv));
      String name =
          kind + (rowClass.min() == rowClass.max() ? "_rows" + rowClass.min() : "_rows" + rowClass);
      if (variants.stream().noneMatch(v -> v.name().equals(name))) {
        variants.add(
            new Variant(
                name, List.of(rowClass.on(rows)), List.of(dispatch(kernel, arguments, rows))));
      }
    }
    return Optional.of(variants);
  }

  /** The weights as {@link QuantizedMatrix} lays them out. */
  private record Prepared(Tensor words, Tensor scales, Tensor zeroPoints, Tensor tail) {}

  private static Prepared prepare(
      BlockQuantization layout,
      QuantizedMatrix matrix,
      Tensor b,
      Tensor scales,
      Tensor zeroPoints) {
    int k = matrix.k();
    int n = matrix.n();
    int blocks = matrix.blocks();
    float[] zeros = layout.zeroPointTable(zeroPoints, n);
    // Padded columns keep zero scales, zero points and tails: their sums are 0 and never stored.
    Tensor scaleTable = Tensor.allocate(DType.FLOAT32, matrix.blockTableSize());
    Tensor zeroTable = Tensor.allocate(DType.FLOAT32, matrix.blockTableSize());
    for (int column = 0; column < n; column++) {
      for (int block = 0; block < blocks; block++) {
        int at = matrix.blockIndex(column, block);
        scaleTable.setFloat(at, scales.getFloat(column * blocks + block));
        zeroTable.setFloat(at, zeros[column * blocks + block]);
      }
    }
    int[] words = new int[matrix.wordCount()];
    int tailLength = matrix.tail();
    Tensor tail = Tensor.allocate(DType.FLOAT32, Math.max(1, matrix.tailTableSize()));
    int[] values = new int[k];
    long rowBytes = layout.blocks() * layout.blockBytes();
    for (int column = 0; column < n; column++) {
      for (int p = 0; p < k; p++) {
        values[p] = layout.unpack(b, column * rowBytes, p);
      }
      matrix.packColumn(column, values, words);
      for (int t = 0; t < tailLength; t++) {
        tail.setFloat(
            matrix.tailIndex(column, t),
            layout.dequantize(
                b, column * rowBytes, scales, zeroPoints, column, matrix.packedValues() + t));
      }
    }
    Tensor wordTensor = Tensor.allocate(DType.INT32, Math.max(1, words.length));
    for (int i = 0; i < words.length; i++) {
      wordTensor.setLong(i, words[i]);
    }
    return new Prepared(wordTensor, scaleTable, zeroTable, tail);
  }

  /** MatMulNBits' kernel as the artifact records it: the layout and the form. */
  public record QuantizedMatMul(
      int bits, int k, int n, int blockSize, boolean zeroPoints, boolean bias, boolean gemv)
      implements JavaKernelSpec.Own {
    @Override
    public CpuKernel kernel(WorkerPool pool, HostValues host) {
      return new MatMulKernel(pool, this);
    }
  }

  /**
   * Operands: A, the words, scales, [zero points, a float per block], [tail], [bias], Y. The GEMV
   * splits the panels of columns over the pool, after summing A over each block once; the GEMM
   * splits the columns, each part dequantizing a column at a time into its own scratch.
   */
  private static final class MatMulKernel extends CpuKernel {
    private final QuantizedMatMul spec;
    private final QuantizedMatrix matrix;
    private Operand a;
    private Operand words;
    private Operand scales;
    private Operand zeroPoints;
    private Operand tail;
    private Operand bias;
    private Operand y;
    private int rows;
    private float[][] scratch;
    private float[] blockSums;
    private float defaultZero;

    MatMulKernel(WorkerPool pool, QuantizedMatMul spec) {
      super(pool);
      this.spec = spec;
      this.matrix = new QuantizedMatrix(spec.bits, spec.k, spec.n, spec.blockSize);
    }

    @Override
    public void bind(Operand[] buffers, long[] scalars) {
      int at = 0;
      a = buffers[at++];
      words = buffers[at++];
      scales = buffers[at++];
      zeroPoints = spec.zeroPoints ? buffers[at++] : null;
      tail = matrix.tail() > 0 ? buffers[at++] : null;
      bias = spec.bias ? buffers[at++] : null;
      y = buffers[at];
      rows = (int) (a.elementCount() / spec.k);
      if (spec.gemv) {
        split(matrix.panels(), (long) spec.k * QuantizedMatrix.PANEL);
      } else {
        split(spec.n, (long) spec.k * Math.max(1, rows));
      }
      scratch = spec.gemv ? null : new float[parts()][spec.k];
      blockSums = new float[matrix.blocks()];
      defaultZero = 1 << (spec.bits - 1);
    }

    @Override
    public void run() {
      if (spec.gemv) {
        matrix.blockSums(a.array(), a.floatOffset(), blockSums);
      }
      super.run();
    }

    @Override
    protected void compute(long from, long to) {
      compute(0, from, to);
    }

    @Override
    protected void compute(int part, long from, long to) {
      float[] tailArray = tail == null ? null : tail.array();
      float[] zeroArray = zeroPoints == null ? null : zeroPoints.array();
      int zeroOffset = zeroPoints == null ? 0 : zeroPoints.floatOffset();
      int tailOffset = tail == null ? 0 : tail.floatOffset();
      if (spec.gemv) {
        matrix.gemv(
            a.array(),
            a.floatOffset(),
            blockSums,
            words.array(),
            words.floatOffset(),
            scales.array(),
            scales.floatOffset(),
            zeroArray,
            zeroOffset,
            defaultZero,
            tailArray,
            tailOffset,
            bias == null ? null : bias.array(),
            bias == null ? 0 : bias.floatOffset(),
            y.array(),
            y.floatOffset(),
            (int) from,
            (int) to);
        return;
      }
      float[] weights = scratch[part];
      for (int column = (int) from; column < to; column++) {
        matrix.dequantizeColumn(
            column,
            words.array(),
            words.floatOffset(),
            scales.array(),
            scales.floatOffset(),
            zeroArray,
            zeroOffset,
            defaultZero,
            tailArray,
            tailOffset,
            weights);
        matrix.columnTimesRows(
            weights,
            a.array(),
            a.floatOffset(),
            rows,
            bias == null ? 0 : bias.array()[bias.floatOffset() + column],
            y.array(),
            y.floatOffset(),
            column);
      }
    }
  }

  private static Optional<List<Variant>> gather(Node node, JavaLowering context) {
    List<String> inputs = node.inputs();
    String data = inputs.get(0);
    List<Dim> dataShape = context.shape(data);
    Optional<Tensor> zeroPoints =
        present(inputs, 3) ? context.constant(inputs.get(3)) : Optional.empty();
    if (dataShape.size() != 2
        || node.attributes().getInt("gather_axis", 0) != 0
        || (present(inputs, 3) && zeroPoints.isEmpty())
        || context.dtype(inputs.get(2)) != DType.FLOAT32) {
      return Optional.empty();
    }
    int bits = (int) node.attributes().getInt("bits", 4);
    long rows = dataShape.get(0).constant();
    BlockQuantization layout =
        new BlockQuantization(
            bits,
            (int) node.attributes().getInt("block_size", 128),
            dataShape.get(1).constant() * (8 / bits));
    float[] zeros = layout.zeroPointTable(zeroPoints.orElse(null), rows);
    List<Argument> arguments =
        List.of(
            context.read(data),
            context.read(inputs.get(1)),
            context.read(inputs.get(2)),
            context.param(
                (present(inputs, 3) ? inputs.get(3) : node.name() + "#default")
                    + "#java-zero-points",
                Tensor.ofFloats(new long[] {zeros.length}, zeros)),
            new Argument.Buffer(node.outputs().get(0)));
    QuantizedGather spec = new QuantizedGather(bits, layout.blockSize(), rows, layout.length());
    String kernel =
        context.kernel(
            "quantized_gather_b"
                + bits
                + "_bs"
                + layout.blockSize()
                + "_"
                + rows
                + "x"
                + layout.length(),
            spec);
    Dim count = Dims.product(context.shape(inputs.get(1)));
    return Optional.of(List.of(JavaVariants.single(kernel, dispatch(kernel, arguments, count))));
  }

  /** GatherBlockQuantized's kernel: rows of {@code length} values of a table of {@code rows}. */
  public record QuantizedGather(int bits, int blockSize, long rows, long length)
      implements JavaKernelSpec.Own {
    @Override
    public CpuKernel kernel(WorkerPool pool, HostValues host) {
      return new GatherKernel(pool, this);
    }
  }

  /**
   * Operands: data, indices, scales, the zero points' float table, Y. One index per work item; an
   * index out of the table is an error, as it is for ONNX Runtime.
   */
  private static final class GatherKernel extends CpuKernel {
    private final QuantizedGather spec;
    private final BlockQuantization layout;
    private Operand data;
    private Operand indices;
    private Operand scales;
    private Operand zeros;
    private Operand y;

    GatherKernel(WorkerPool pool, QuantizedGather spec) {
      super(pool);
      this.spec = spec;
      this.layout = new BlockQuantization(spec.bits, spec.blockSize, spec.length);
    }

    @Override
    public void bind(Operand[] buffers, long[] scalars) {
      data = buffers[0];
      indices = buffers[1];
      scales = buffers[2];
      zeros = buffers[3];
      y = buffers[4];
      split(indices.elementCount(), spec.length);
    }

    @Override
    protected void compute(long from, long to) {
      MemorySegment bytes = data.memory();
      MemorySegment ids = indices.memory();
      boolean wide = indices.dtype() == DType.INT64;
      float[] scaleArray = scales.array();
      float[] zeroArray = zeros.array();
      float[] out = y.array();
      int blocks = (int) layout.blocks();
      long rowBytes = layout.rowBytes();
      int length = (int) spec.length;
      for (long i = from; i < to; i++) {
        long index =
            wide
                ? ids.get(ValueLayout.JAVA_LONG_UNALIGNED, indices.byteOffset() + i * 8)
                : ids.get(ValueLayout.JAVA_INT_UNALIGNED, indices.byteOffset() + i * 4);
        if (index < -spec.rows || index >= spec.rows) {
          throw new oclc.ir.OclcException(
              "GatherBlockQuantized: index " + index + " is outside a table of " + spec.rows);
        }
        long row = index < 0 ? index + spec.rows : index;
        long rowStart = data.byteOffset() + row * rowBytes;
        int blockBase = (int) row * blocks;
        int target = y.floatOffset() + (int) i * length;
        for (int p = 0; p < length; p++) {
          int value = bytes.get(ValueLayout.JAVA_BYTE, rowStart + p * layout.bits() / 8) & 0xFF;
          int q = layout.bits() == 8 ? value : (p & 1) == 0 ? value & 0xF : value >>> 4;
          int block = blockBase + p / spec.blockSize;
          out[target + p] =
              (q - zeroArray[zeros.floatOffset() + block])
                  * scaleArray[scales.floatOffset() + block];
        }
      }
    }
  }
}
