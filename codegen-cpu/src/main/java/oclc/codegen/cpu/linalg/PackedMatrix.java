package oclc.codegen.cpu.linalg;

/**
 * Weight matrices B (row-major K x N, i.e. C[m][n] = sum_k A[m][k] * B[k][n]) packed at compile
 * time.
 *
 * <p>The packed form is a sequence of panels of {@link #PANEL} columns, each stored K-major (row k
 * of a panel is its 64 columns of B's row k, contiguous), the last panel padded with zeros. A
 * kernel computing 64 columns of C therefore reads one contiguous stream of weights, 256 bytes per
 * k, and a thread's range of panels is one contiguous block: the GEMV streams it once at memory
 * speed, the GEMM's micro-kernel loads its 4 vectors of a k from one cache line pair. The layout is
 * fixed (not the machine's vector width), so packed weights are portable; a kernel with narrower
 * vectors reads a panel in several strips.
 */
public final class PackedMatrix {
  /** Columns of one panel: four 512-bit vectors of floats. */
  public static final int PANEL = 64;

  private PackedMatrix() {}

  /** Number of panels covering n columns. */
  public static int panels(int n) {
    return (n + PANEL - 1) / PANEL;
  }

  /** Floats the packed form takes. */
  public static int packedLength(int k, int n) {
    checkShape(k, n);
    long length = (long) panels(n) * PANEL * k;
    if (length > Integer.MAX_VALUE - 64) {
      throw new IllegalArgumentException(
          "a packed "
              + k
              + " x "
              + n
              + " matrix takes "
              + length
              + " floats, more than a Java array holds");
    }
    return (int) length;
  }

  /** Packs row-major b[bOffset + kk * n + j] (K x N) into out from outOffset. */
  public static void pack(float[] b, int bOffset, int k, int n, float[] out, int outOffset) {
    int length = packedLength(k, n);
    checkRange("b", b, bOffset, (long) k * n);
    checkRange("out", out, outOffset, length);
    for (int p = 0; p < panels(n); p++) {
      int column = p * PANEL;
      int width = Math.min(PANEL, n - column);
      int panel = outOffset + p * PANEL * k;
      for (int kk = 0; kk < k; kk++) {
        int to = panel + kk * PANEL;
        System.arraycopy(b, bOffset + kk * n + column, out, to, width);
        java.util.Arrays.fill(out, to + width, to + PANEL, 0f);
      }
    }
  }

  /**
   * The inverse of {@link #pack}: writes the K x N row-major matrix into out from outOffset (for
   * tests and debugging).
   */
  public static void unpack(
      float[] packed, int packedOffset, int k, int n, float[] out, int outOffset) {
    checkRange("packed", packed, packedOffset, packedLength(k, n));
    checkRange("out", out, outOffset, (long) k * n);
    for (int p = 0; p < panels(n); p++) {
      int column = p * PANEL;
      int width = Math.min(PANEL, n - column);
      int panel = packedOffset + p * PANEL * k;
      for (int kk = 0; kk < k; kk++) {
        System.arraycopy(packed, panel + kk * PANEL, out, outOffset + kk * n + column, width);
      }
    }
  }

  static void checkShape(int k, int n) {
    if (k < 0 || n < 0) {
      throw new IllegalArgumentException("matrix dims must be >= 0, got K=" + k + " N=" + n);
    }
  }

  static void checkRange(String name, float[] array, int offset, long length) {
    if (array == null) {
      throw new NullPointerException(name + " is null");
    }
    if (offset < 0 || offset + length > array.length) {
      throw new IndexOutOfBoundsException(
          name
              + ": floats ["
              + offset
              + ", "
              + (offset + length)
              + ") are needed but the array has "
              + array.length);
    }
  }
}
