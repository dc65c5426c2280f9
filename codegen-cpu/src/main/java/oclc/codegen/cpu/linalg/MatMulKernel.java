package oclc.codegen.cpu.linalg;

/**
 * One MatMul/Gemm launch over packed weights, set up once (plan time) and run many times (launch
 * time): C[m][n] = sum_k A[m*lda + k] * B[k][n] (+ bias[n]) for m in [0, rows). A row-major with
 * leading dimension lda (>= k); C row-major with leading dimension ldc (>= n).
 *
 * <p>Both kinds run the same micro-kernels ({@link MicroKernels}) and differ in how a launch is cut
 * into the pool's indices: GEMV (decode) gives each index a few whole panels and all rows, so the
 * weights stream through once, split over the threads; GEMM (prefill) gives each index one tile of
 * one panel by up to {@link #MAX_ROW_BLOCK} rows, the row blocks of a panel one after another so
 * that its weights stay in the cache. Indices are small (about {@link #GEMV_ITEM_BYTES} of weights)
 * because the pool hands them out as threads come free: on a shared machine a core that is taken
 * away for a while then holds up little. Either kind is correct for any rows.
 */
public final class MatMulKernel {
  /** How a launch is split: GEMV over panels only, GEMM over panels and row blocks. */
  public enum Kind {
    GEMV,
    GEMM
  }

  /**
   * Rows of one GEMM tile, at most: 16 six-row micro-kernels, fewer when A's rows for them would
   * pass 1 MB, so that they and the panel's weights (K x 64 floats) stay in a core's 2 MB L2.
   * Measured on one core: 96 rows gave 103-121 GFLOP/s where 48 gave 78-125 (K = 768) and 144 fell
   * to 87-91 (K = 3072).
   */
  static final int MAX_ROW_BLOCK = 96;

  static final int ROW_BLOCK_A_BYTES = 1 << 20;

  /**
   * Weights one GEMV index streams, at least: a few hundred microseconds of one core's bandwidth at
   * most.
   */
  static final int GEMV_ITEM_BYTES = 256 * 1024;

  private final Kind kind;
  private final int k;
  private final int n;
  private final boolean hasBias;
  private final int panels;

  /** Rows of one GEMM tile. */
  private final int rowBlock;

  /** Tiles (GEMV: panels) of one index. */
  private final int tilesPerItem;

  private final WorkerPool.Task item = this::runItem;

  /**
   * One scratch tile per thread of the pool ({@link WorkerPool#slot}); grown, once, for a larger
   * pool.
   */
  private float[][] scratch;

  private float[] a;
  private int aOffset;
  private int lda;
  private int rows;
  private float[] packedB;
  private int packedBOffset;
  private float[] bias;
  private int biasOffset;
  private float[] c;
  private int cOffset;
  private int ldc;
  private int rowBlocks;
  private int tiles;
  private int items;

  private MatMulKernel(Kind kind, int k, int n, boolean hasBias) {
    this.kind = kind;
    this.k = k;
    this.n = n;
    this.hasBias = hasBias;
    this.panels = PackedMatrix.panels(n);
    long panelBytes = 4L * PackedMatrix.PANEL * Math.max(1, k);
    int fitting = ROW_BLOCK_A_BYTES / (4 * Math.max(1, k)) / 6 * 6;
    this.rowBlock = Math.max(6, Math.min(MAX_ROW_BLOCK, fitting));
    this.tilesPerItem = kind == Kind.GEMV ? (int) Math.max(1, GEMV_ITEM_BYTES / panelBytes) : 1;
    this.scratch = new float[WorkerPool.defaultThreads()][MicroKernels.TILE];
  }

  public static MatMulKernel create(Kind kind, int k, int n, boolean hasBias) {
    if (kind == null) {
      throw new NullPointerException("kind");
    }
    PackedMatrix.packedLength(k, n); // checks the dims and that the packed form fits an array
    return new MatMulKernel(kind, k, n, hasBias);
  }

  public Kind kind() {
    return kind;
  }

  public int k() {
    return k;
  }

  public int n() {
    return n;
  }

  /**
   * Binds the operands; no allocation here either (may be called every plan). bias may be null when
   * !hasBias.
   */
  public void bind(
      float[] a,
      int aOffset,
      int lda,
      int rows,
      float[] packedB,
      int packedBOffset,
      float[] bias,
      int biasOffset,
      float[] c,
      int cOffset,
      int ldc) {
    if (rows < 0) {
      throw new IllegalArgumentException("rows must be >= 0, got " + rows);
    }
    if (lda < k) {
      throw new IllegalArgumentException("lda " + lda + " is less than K=" + k);
    }
    if (ldc < n) {
      throw new IllegalArgumentException("ldc " + ldc + " is less than N=" + n);
    }
    if (hasBias && bias == null) {
      throw new NullPointerException(
          "this " + k + " x " + n + " kernel was created with a bias but bound none");
    }
    if (rows > 0) {
      PackedMatrix.checkRange("a", a, aOffset, (long) (rows - 1) * lda + k);
      PackedMatrix.checkRange("c", c, cOffset, (long) (rows - 1) * ldc + n);
    }
    PackedMatrix.checkRange("packedB", packedB, packedBOffset, PackedMatrix.packedLength(k, n));
    if (hasBias) {
      PackedMatrix.checkRange("bias", bias, biasOffset, n);
    }
    this.a = a;
    this.aOffset = aOffset;
    this.lda = lda;
    this.rows = rows;
    this.packedB = packedB;
    this.packedBOffset = packedBOffset;
    this.bias = hasBias ? bias : null;
    this.biasOffset = biasOffset;
    this.c = c;
    this.cOffset = cOffset;
    this.ldc = ldc;
    this.rowBlocks = kind == Kind.GEMV ? 1 : (rows + rowBlock - 1) / rowBlock;
    this.tiles = panels * rowBlocks;
    this.items = (tiles + tilesPerItem - 1) / tilesPerItem;
  }

  /** Computes with the bound operands on the pool; allocates nothing. rows == 0 does nothing. */
  public void run(WorkerPool pool) {
    if (packedB == null) {
      throw new IllegalStateException(
          "MatMulKernel.run before bind (" + k + " x " + n + " " + kind + ")");
    }
    if (rows == 0 || n == 0) {
      return;
    }
    if (scratch.length < pool.threads()) {
      scratch = new float[pool.threads()][MicroKernels.TILE];
    }
    pool.forEach(items, item);
  }

  /** Index i of the launch: tiles [i * tilesPerItem, (i + 1) * tilesPerItem), panel-major. */
  private void runItem(int index) {
    int from = index * tilesPerItem;
    int to = Math.min(tiles, from + tilesPerItem);
    float[] own = scratch[WorkerPool.slot()];
    for (int tile = from; tile < to; tile++) {
      int panel = tile / rowBlocks;
      int rowFrom = kind == Kind.GEMV ? 0 : (tile % rowBlocks) * rowBlock;
      int rowTo = kind == Kind.GEMV ? rows : Math.min(rows, rowFrom + rowBlock);
      MicroKernels.panel(
          a,
          aOffset,
          lda,
          rowFrom,
          rowTo,
          packedB,
          packedBOffset,
          k,
          n,
          panel,
          bias,
          biasOffset,
          c,
          cOffset,
          ldc,
          own);
    }
  }

  /** FLOPs of the bound launch (2*rows*k*n). */
  public long flops() {
    return 2L * rows * k * n;
  }

  /**
   * Bytes of packed weights the bound launch reads (padding included; once, though GEMM may read
   * them again from cache).
   */
  public long weightBytes() {
    return rows == 0 ? 0 : 4L * PackedMatrix.packedLength(k, n);
  }
}
