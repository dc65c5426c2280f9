package oclc.codegen.opencl;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import oclc.artifact.Manifest.Argument;
import oclc.artifact.Manifest.Condition;
import oclc.artifact.Manifest.Variant;
import oclc.ir.DType;
import oclc.ir.Dim;
import oclc.ir.Node;
import oclc.ir.Tensor;
import oclc.lowering.Dims;
import oclc.lowering.PackedWeights;
import oclc.lowering.Schedule;
import oclc.lowering.SizeRanges;

/**
 * MatMul and Gemm. With constant weights: the weights packed at compile time into panels, and two
 * variants by the number of rows: a GEMV for one row (decode) and a register-tiled GEMM for more.
 * Two activations (attention's Q·Kᵀ and P·V): the batched product. The rest (vectors, batches that
 * broadcast partly, other element types, Gemm of activations): {@link StridedMatMul}.
 */
public final class MatMulLowering implements NodeLowering {
  /** Which kernels compute a node. */
  private enum Path {
    PACKED,
    BATCHED,
    STRIDED_GEMM,
    STRIDED
  }

  @Override
  public List<Variant> lower(Node node, LoweringContext context) {
    return lower(node, context, null);
  }

  /**
   * The variants, each element of the product through {@code epilogue} (none when null) before it
   * is stored.
   */
  static List<Variant> lower(Node node, LoweringContext context, Epilogue epilogue) {
    String a = node.inputs().get(0);
    String b = node.inputs().get(1);
    String output = node.outputs().get(0);
    boolean gemm = node.opType().equals("Gemm");
    Path path = path(node, context);
    if (epilogue != null && (path == Path.STRIDED || path == Path.STRIDED_GEMM)) {
      throw new IllegalStateException("the strided product of " + node + " takes no epilogue");
    }
    return switch (path) {
      case PACKED -> {
        Tensor weights = context.constant(b).orElseThrow();
        Tensor matrix = PackedWeights.weightMatrix(node, weights, gemm);
        Optional<Tensor> bias = gemm ? bias(node, context, matrix.dim(1)) : Optional.empty();
        yield packed(node, context, a, b, matrix, bias, output, epilogue, half(node, context));
      }
      case BATCHED -> batched(context, a, b, output, epilogue, half(node, context));
      case STRIDED_GEMM -> List.of(StridedMatMul.gemm(node, context));
      case STRIDED -> List.of(StridedMatMul.matMul(node, context));
    };
  }

  private static Path path(Node node, LoweringContext context) {
    String a = node.inputs().get(0);
    String b = node.inputs().get(1);
    String output = node.outputs().get(0);
    boolean float32 = allOf(node, context, DType.FLOAT32) || half(node, context);
    boolean gemm = node.opType().equals("Gemm");
    Optional<Tensor> weights = context.constant(b);
    if (float32
        && weights.isPresent()
        && weights.get().rank() <= 2
        && packedTakes(node, context, weights.get())) {
      return Path.PACKED;
    }
    if (gemm) {
      return Path.STRIDED_GEMM;
    }
    return float32 && batchedTakes(context, a, b, output) ? Path.BATCHED : Path.STRIDED;
  }

  private static boolean allOf(Node node, LoweringContext context, DType type) {
    return node.inputs().stream()
        .allMatch(input -> input.isEmpty() || context.dtype(input) == type);
  }

  /**
   * A float16 product: float16 operands (and C), which the packed and batched kernels read as
   * halves and sum in float; they take no epilogue.
   */
  private static boolean half(Node node, LoweringContext context) {
    return allOf(node, context, DType.FLOAT16);
  }

  /**
   * How the kernels that take an epilogue (the packed GEMV and GEMM, the batched product, of
   * float32) walk the node's output, for {@link Fusion}; empty for the strided product and float16
   * products, which take none.
   */
  static Optional<Fusion.ProductSpace> productSpace(Node node, LoweringContext context) {
    if (!node.opType().equals("MatMul") && !node.opType().equals("Gemm")) {
      return Optional.empty();
    }
    if (half(node, context)) {
      return Optional.empty();
    }
    List<Dim> aShape = context.shape(node.inputs().get(0));
    return switch (path(node, context)) {
      case PACKED -> {
        Tensor weights = context.constant(node.inputs().get(1)).orElseThrow();
        boolean transposed =
            node.opType().equals("Gemm") && node.attributes().getInt("transB", 0) != 0;
        long n = weights.rank() == 1 ? 1 : weights.dim(transposed ? 0 : 1);
        yield Optional.of(
            new Fusion.ProductSpace(
                Dim.of(1), Dims.product(aShape.subList(0, aShape.size() - 1)), Dim.of(n)));
      }
      case BATCHED -> {
        List<Dim> outShape = context.shape(node.outputs().get(0));
        yield Optional.of(
            new Fusion.ProductSpace(
                Dims.product(outShape.subList(0, outShape.size() - 2)),
                aShape.get(aShape.size() - 2),
                context.shape(node.inputs().get(1)).getLast()));
      }
      case STRIDED_GEMM, STRIDED -> Optional.empty();
    };
  }

  /**
   * Whether the packed kernels compute this node: A as it is, and a bias of one value per column
   * (or none).
   */
  private static boolean packedTakes(Node node, LoweringContext context, Tensor weights) {
    if (!node.opType().equals("Gemm")) {
      return true;
    }
    if (node.attributes().getInt("transA", 0) != 0) {
      return false;
    }
    if (node.inputs().size() < 3 || node.inputs().get(2).isEmpty()) {
      return true;
    }
    long n =
        weights.rank() == 1 ? 1 : weights.dim(node.attributes().getInt("transB", 0) != 0 ? 0 : 1);
    return context
        .constant(node.inputs().get(2))
        .map(
            c ->
                c.size() == 1
                    || (c.size() == n && (c.rank() == 1 || (c.rank() == 2 && c.dim(0) == 1))))
        .orElse(false);
  }

  /**
   * Whether the batched kernel computes this product: matrices, each operand's batches whole or
   * shared.
   */
  private static boolean batchedTakes(LoweringContext context, String a, String b, String output) {
    List<Dim> outShape = context.shape(output);
    if (context.shape(a).size() < 2 || context.shape(b).size() < 2) {
      return false;
    }
    List<Dim> batchDims = outShape.subList(0, outShape.size() - 2);
    return sharedWholeOrNot(context.shape(a), batchDims)
        && sharedWholeOrNot(context.shape(b), batchDims);
  }

  private static boolean sharedWholeOrNot(List<Dim> shape, List<Dim> batchDims) {
    List<Dim> own = shape.subList(0, shape.size() - 2);
    return own.equals(batchDims) || own.stream().allMatch(Dims::isOne);
  }

  /**
   * Gemm's C scaled by beta, as one value per column; only a C that broadcasts along rows has a
   * kernel.
   */
  private static Optional<Tensor> bias(Node node, LoweringContext context, long n) {
    if (node.inputs().size() < 3 || node.inputs().get(2).isEmpty()) {
      return Optional.empty();
    }
    Tensor c =
        context
            .constant(node.inputs().get(2))
            .orElseThrow(() -> new NotLowerableException("Gemm's C must be a constant"));
    return Optional.of(
        PackedWeights.columnBias(node, c, n)
            .orElseThrow(
                () ->
                    new NotLowerableException(
                        "Gemm's C of shape "
                            + java.util.Arrays.toString(c.shape())
                            + " has no kernel: the bias must be one value per column or a"
                            + " scalar")));
  }

  /**
   * The vector width of the packed kernels' panels when every panel is whole (N a multiple of it),
   * so that an epilogue can take a panel at a time; 0 otherwise (and for the other products).
   */
  static int wholePanelWidth(Node node, LoweringContext context) {
    if (path(node, context) != Path.PACKED) {
      return 0;
    }
    long n = productSpace(node, context).orElseThrow().columns().constant();
    return n % width(n) == 0 ? width(n) : 0;
  }

  /** Panels of 16 columns (one AVX-512 vector) where N allows, else 8 or 4. */
  private static int width(long n) {
    return n >= 16 ? 16 : n >= 8 ? 8 : 4;
  }

  /**
   * One variant per row class the compiled sizes meet, with the schedule's GEMV or GEMM tile for
   * the class.
   */
  private static List<Variant> packed(
      Node node,
      LoweringContext context,
      String a,
      String b,
      Tensor matrix,
      Optional<Tensor> bias,
      String output,
      Epilogue epilogue,
      boolean half) {
    List<Dim> aShape = context.shape(a);
    Dim k = aShape.getLast();
    if (!k.equals(Dim.of(matrix.dim(0)))) {
      throw new NotLowerableException("inner dims differ: " + k + " and " + matrix.dim(0));
    }
    long n = matrix.dim(1);
    int width = width(n);
    Dim rows = Dims.product(aShape.subList(0, aShape.size() - 1));
    String weightsName =
        b + "#packed" + width + (node.opType().equals("Gemm") ? "#" + node.name() : "");
    float[] packed = PackedWeights.pack(matrix, width);
    Tensor panelled =
        half
            ? Tensor.ofDoubles(DType.FLOAT16, new long[] {packed.length}, toDoubles(packed))
            : Tensor.ofFloats(new long[] {packed.length}, packed);
    Argument packedWeights = context.param(weightsName, panelled);
    List<Argument> buffers = new ArrayList<>(List.of(context.read(a), packedWeights));
    bias.ifPresent(
        t -> buffers.add(context.param(node.inputs().get(2) + "#bias#" + node.name(), t)));
    if (epilogue == null) {
      buffers.add(context.write(output));
    } else {
      buffers.addAll(epilogue.bufferArguments());
    }
    long kSize = matrix.dim(0);
    String withBias = bias.isPresent() ? "_bias" : "";
    String sizes =
        "_n"
            + n
            + "_k"
            + kSize
            + (epilogue == null ? "" : epilogue.suffix())
            + (half ? "_f16" : "");

    List<Variant> variants = new ArrayList<>();
    for (SizeRanges.Interval rowClass :
        context.ranges().classes(rows, context.schedule().matmulCuts())) {
      List<Argument> arguments = new ArrayList<>(buffers);
      Schedule.MatMulClass choice = context.schedule().matmulClass(rowClass.max());
      if (choice.kernel().equals("gemv")) {
        int panels = choice.panelsPerItem();
        String schedule = "gemv_w" + width + (panels == 1 ? "" : "_p" + panels) + withBias;
        KernelSource gemv =
            MatMulKernels.gemv(
                new MatMulKernels.Panels(
                    schedule + sizes, width, panels, bias.isPresent(), n, kSize, half),
                choice.sums(),
                epilogue);
        if (epilogue != null) {
          arguments.addAll(epilogue.scalarArguments());
        }
        // Groups of PANEL_GROUP panels: enough groups for both cores even at N = 768 (6 of them).
        variants.add(
            new Variant(
                schedule,
                List.of(rowClass.on(rows)),
                List.of(
                    context.dispatch(
                        gemv,
                        arguments,
                        MatMulKernels.gemvGlobalSize(n, width, panels),
                        List.of(Dim.of(PackedWeights.PANEL_GROUP / panels))))));
      } else {
        int rowsPerItem = choice.rowsPerItem();
        int panels = choice.panelsPerItem();
        String schedule = "gemm_w" + width + "_r" + rowsPerItem + "_p" + panels + withBias;
        KernelSource tiled =
            MatMulKernels.gemm(
                new MatMulKernels.Panels(
                    schedule + sizes, width, panels, bias.isPresent(), n, kSize, half),
                rowsPerItem,
                epilogue);
        arguments.add(Scalars.of(rows));
        if (epilogue != null) {
          arguments.addAll(epilogue.scalarArguments());
        }
        // A group: one row tile × the panel tiles of PANEL_GROUP panels, row tiles on axis 0 (on
        // POCL measured 1.5-2x faster than panels on axis 0: a panel's weights are likely still
        // cached when the next row tile reads them).
        List<Dim> global = MatMulKernels.gemmGlobalSize(rows, n, width, rowsPerItem, panels);
        int group = Math.max(1, choice.group());
        variants.add(
            new Variant(
                schedule + (choice.group() == 0 ? "" : "_g" + group),
                List.of(rowClass.on(rows)),
                List.of(
                    context.dispatch(
                        tiled,
                        arguments,
                        List.of(Dims.roundUp(global.get(0), group), global.get(1)),
                        List.of(Dim.of(group), Dim.of(PackedWeights.PANEL_GROUP / panels))))));
      }
    }
    return variants;
  }

  /**
   * [..., M, K] · [..., K, N] per batch; an operand without batch dims is shared (batch stride 0).
   * Variants by key length (the symbolic one of N and K: Q·Kᵀ has N keys, P·V sums over K keys).
   */
  private static final SizeRanges.Interval ONE_ROW = new SizeRanges.Interval(0, 1);

  private static final SizeRanges.Interval MANY_ROWS = new SizeRanges.Interval(2, SizeRanges.OPEN);

  private static List<Variant> batched(
      LoweringContext context, String a, String b, String output, Epilogue epilogue, boolean half) {
    List<Dim> aShape = context.shape(a);
    List<Dim> bShape = context.shape(b);
    List<Dim> outShape = context.shape(output);
    if (aShape.size() < 2 || bShape.size() < 2) {
      throw new NotLowerableException("the batched product takes operands of rank 2 or more");
    }
    Dim m = aShape.get(aShape.size() - 2);
    Dim k = aShape.getLast();
    Dim n = bShape.getLast();
    List<Dim> batchDims = outShape.subList(0, outShape.size() - 2);
    Dim batches = Dims.product(batchDims);
    List<Argument> arguments = new ArrayList<>(List.of(context.read(a), context.read(b)));
    if (epilogue == null) {
      arguments.add(context.write(output));
    } else {
      arguments.addAll(epilogue.bufferArguments());
    }
    arguments.addAll(
        Scalars.ints(
            List.of(
                m,
                n,
                k,
                batchStride(context, a, batchDims, m.times(k)),
                batchStride(context, b, batchDims, k.times(n)))));
    if (epilogue != null) {
      arguments.addAll(epilogue.scalarArguments());
    }
    Dim keys = n.isConstant() ? k : n;
    List<Variant> variants = new ArrayList<>();
    for (SizeRanges.Interval keyClass :
        context.ranges().classes(keys, context.schedule().attentionCuts())) {
      Schedule.AttentionClass choice = context.schedule().attentionClass(keyClass.max());
      // One query row (decode) takes one row per item: more would only compute copies of it.
      for (SizeRanges.Interval rowClass :
          context.ranges().classes(m, List.of(ONE_ROW, MANY_ROWS))) {
        int rows = rowClass.max() <= 1 ? 1 : choice.rowsPerItem();
        int width = choice.columnsPerItem();
        KernelSource kernel =
            MatMulKernels.batched(
                "batched_matmul_r"
                    + rows
                    + "_w"
                    + width
                    + (epilogue == null ? "" : epilogue.suffix())
                    + (half ? "_f16" : ""),
                rows,
                width,
                epilogue,
                half);
        List<Condition> when = new ArrayList<>();
        if (!keys.isConstant()) {
          when.add(keyClass.on(keys));
        }
        if (!m.isConstant()) {
          when.add(rowClass.on(m));
        }
        String name =
            "batched_r"
                + rows
                + "_w"
                + width
                + (choice.group() == 0 ? "" : "_g" + choice.group())
                + "_keys"
                + keyClass;
        List<Dim> global = MatMulKernels.batchedGlobalSize(batches, m, n, rows, width);
        // A group of the schedule's column tiles pads the column tiles to a multiple of it (the
        // kernel
        // stores no column past N); without one, WorkGroups picks what divides the launch.
        variants.add(
            new Variant(
                name,
                when,
                List.of(
                    choice.group() == 0
                        ? context.dispatch(kernel, arguments, global)
                        : context.dispatch(
                            kernel,
                            arguments,
                            List.of(
                                Dims.roundUp(global.get(0), choice.group()),
                                global.get(1),
                                global.get(2)),
                            List.of(Dim.of(choice.group()), Dim.of(1), Dim.of(1))))));
      }
    }
    return variants;
  }

  /**
   * The distance between an operand's matrices: 0 when it has no batch dims (shared), the matrix
   * size when contiguous, the stride of its layout when it lives in a KV cache.
   */
  static Dim batchStride(
      LoweringContext context, String operand, List<Dim> batchDims, Dim matrixSize) {
    List<Dim> shape = context.shape(operand);
    List<Dim> own = shape.subList(0, shape.size() - 2);
    if (own.equals(batchDims)) {
      return context.cacheHolding(operand).isPresent()
          ? context.strides(operand).get(shape.size() - 3)
          : matrixSize;
    }
    if (own.stream().allMatch(Dims::isOne)) {
      return Dim.of(0);
    }
    throw new NotLowerableException(
        "batch dims "
            + own
            + " broadcast partly against "
            + batchDims
            + "; the batched product shares an operand whole or not at all");
  }

  private static double[] toDoubles(float[] values) {
    double[] doubles = new double[values.length];
    for (int i = 0; i < values.length; i++) {
      doubles[i] = values[i];
    }
    return doubles;
  }
}
