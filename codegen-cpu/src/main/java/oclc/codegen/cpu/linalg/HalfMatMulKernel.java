package oclc.codegen.cpu.linalg;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * {@link MatMulKernel}'s product over float16 weights: the packed panels ({@link PackedMatrix}'s
 * layout) are held as 16-bit values, half the bytes of float32, and each launch index converts one
 * panel into its thread's float32 scratch ({@link Float#float16ToFloat}, a loop the JIT vectorizes)
 * and runs the same micro-kernels over it for every row: A, C and the bias are float32 here (the
 * caller converts float16 activations). One index per panel, so the weights stream through once.
 */
public final class HalfMatMulKernel {
  private static final ValueLayout.OfShort HALF = ValueLayout.JAVA_SHORT_UNALIGNED;

  private final int k;
  private final int n;
  private final int panels;
  private final WorkerPool.Task item = this::runPanel;

  /** Per thread of the pool: a panel's halves, the panel as floats, and a micro-kernel tile. */
  private short[][] halves;

  private float[][] panel;
  private float[][] tile;

  private float[] a;
  private int aOffset;
  private int lda;
  private int rows;
  private MemorySegment packed;
  private long packedByteOffset;
  private float[] bias;
  private int biasOffset;
  private float[] c;
  private int cOffset;
  private int ldc;

  public HalfMatMulKernel(int k, int n) {
    PackedMatrix.packedLength(k, n);
    this.k = k;
    this.n = n;
    this.panels = PackedMatrix.panels(n);
    scratchFor(WorkerPool.defaultThreads());
  }

  public int k() {
    return k;
  }

  public int n() {
    return n;
  }

  private void scratchFor(int threads) {
    halves = new short[threads][PackedMatrix.PANEL * k];
    panel = new float[threads][PackedMatrix.PANEL * k];
    tile = new float[threads][MicroKernels.TILE];
  }

  /**
   * Binds the operands: A and C float32 row-major (leading dimensions lda and ldc), the packed
   * float16 panels at a byte offset of {@code packed}, the bias (null when none) float32.
   */
  public void bind(
      float[] a,
      int aOffset,
      int lda,
      int rows,
      MemorySegment packed,
      long packedByteOffset,
      float[] bias,
      int biasOffset,
      float[] c,
      int cOffset,
      int ldc) {
    this.a = a;
    this.aOffset = aOffset;
    this.lda = lda;
    this.rows = rows;
    this.packed = packed;
    this.packedByteOffset = packedByteOffset;
    this.bias = bias;
    this.biasOffset = biasOffset;
    this.c = c;
    this.cOffset = cOffset;
    this.ldc = ldc;
  }

  public void run(WorkerPool pool) {
    if (rows == 0 || n == 0) {
      return;
    }
    if (halves.length < pool.threads()) {
      scratchFor(pool.threads());
    }
    pool.forEach(panels, item);
  }

  /**
   * Panel p for every row: its floats are a one-panel matrix of the columns from p · PANEL, so C,
   * the bias and N are taken from there.
   */
  private void runPanel(int p) {
    int slot = WorkerPool.slot();
    short[] own = halves[slot];
    float[] floats = panel[slot];
    int length = PackedMatrix.PANEL * k;
    MemorySegment.copy(packed, HALF, packedByteOffset + 2L * p * length, own, 0, length);
    for (int i = 0; i < length; i++) {
      floats[i] = Float.float16ToFloat(own[i]);
    }
    int column = p * PackedMatrix.PANEL;
    MicroKernels.panel(
        a,
        aOffset,
        lda,
        0,
        rows,
        floats,
        0,
        k,
        n - column,
        0,
        bias,
        biasOffset + column,
        c,
        cOffset + column,
        ldc,
        tile[slot]);
  }

  public long flops() {
    return 2L * rows * k * n;
  }
}
