package oclc.codegen.cpu.linalg;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;

/**
 * The register-blocked inner loops: R rows of C by one strip of 4 vectors of a panel, over all of
 * K. Each k loads the strip's 4 weight vectors once and multiplies them by each row's broadcast A
 * element into 4R independent accumulators (R = 6 holds 24 of the 32 AVX-512 registers). The
 * accumulators go to a per-thread scratch tile, and {@link #finish} adds the bias and stores C,
 * masked past column N.
 *
 * <p>Two JIT hazards shape this code. A vector passed to a method C2 does not inline is boxed, and
 * C2 then boxes the loop's accumulators on every iteration (10x slower): no helper takes a vector.
 * And a method too large for C1's register allocator ("out of virtual registers in linear scan")
 * can stay compiled by C1 alone, where the Vector API is not intrinsified (100x slower, seen in
 * about one run in three with the bias and masked stores inside the kernel): the kernels hold the
 * loop only, the epilogue is a loop of its own.
 */
final class MicroKernels {
  /**
   * The machine's widest float vector, at most 16 lanes so that a 64-column panel is a whole number
   * of strips.
   */
  static final VectorSpecies<Float> SPECIES =
      FloatVector.SPECIES_PREFERRED.length() > 16
          ? FloatVector.SPECIES_512
          : FloatVector.SPECIES_PREFERRED;

  static final int LANES = SPECIES.length();

  /** Columns of one strip: the 4 vectors a micro-kernel holds per row. */
  static final int STRIP = 4 * LANES;

  static final int PANEL = PackedMatrix.PANEL;
  private static final int V1 = LANES;
  private static final int V2 = 2 * LANES;
  private static final int V3 = 3 * LANES;

  /** Floats of one thread's scratch tile: the largest micro-kernel's rows by one strip. */
  static final int TILE = 6 * STRIP;

  private MicroKernels() {}

  /**
   * Six rows: a[a0 + r * lda + kk] times the strip at b[b0 + kk * PANEL], summed into out[r * STRIP
   * + j].
   */
  static void rows6(float[] a, int a0, int lda, float[] b, int b0, int k, float[] out) {
    FloatVector zero = FloatVector.zero(SPECIES);
    FloatVector c00 = zero, c01 = zero, c02 = zero, c03 = zero;
    FloatVector c10 = zero, c11 = zero, c12 = zero, c13 = zero;
    FloatVector c20 = zero, c21 = zero, c22 = zero, c23 = zero;
    FloatVector c30 = zero, c31 = zero, c32 = zero, c33 = zero;
    FloatVector c40 = zero, c41 = zero, c42 = zero, c43 = zero;
    FloatVector c50 = zero, c51 = zero, c52 = zero, c53 = zero;
    int r0 = a0;
    int r1 = r0 + lda;
    int r2 = r1 + lda;
    int r3 = r2 + lda;
    int r4 = r3 + lda;
    int r5 = r4 + lda;
    for (int kk = 0, bk = b0; kk < k; kk++, bk += PANEL) {
      FloatVector w0 = FloatVector.fromArray(SPECIES, b, bk);
      FloatVector w1 = FloatVector.fromArray(SPECIES, b, bk + V1);
      FloatVector w2 = FloatVector.fromArray(SPECIES, b, bk + V2);
      FloatVector w3 = FloatVector.fromArray(SPECIES, b, bk + V3);
      FloatVector x0 = FloatVector.broadcast(SPECIES, a[r0 + kk]);
      c00 = x0.fma(w0, c00);
      c01 = x0.fma(w1, c01);
      c02 = x0.fma(w2, c02);
      c03 = x0.fma(w3, c03);
      FloatVector x1 = FloatVector.broadcast(SPECIES, a[r1 + kk]);
      c10 = x1.fma(w0, c10);
      c11 = x1.fma(w1, c11);
      c12 = x1.fma(w2, c12);
      c13 = x1.fma(w3, c13);
      FloatVector x2 = FloatVector.broadcast(SPECIES, a[r2 + kk]);
      c20 = x2.fma(w0, c20);
      c21 = x2.fma(w1, c21);
      c22 = x2.fma(w2, c22);
      c23 = x2.fma(w3, c23);
      FloatVector x3 = FloatVector.broadcast(SPECIES, a[r3 + kk]);
      c30 = x3.fma(w0, c30);
      c31 = x3.fma(w1, c31);
      c32 = x3.fma(w2, c32);
      c33 = x3.fma(w3, c33);
      FloatVector x4 = FloatVector.broadcast(SPECIES, a[r4 + kk]);
      c40 = x4.fma(w0, c40);
      c41 = x4.fma(w1, c41);
      c42 = x4.fma(w2, c42);
      c43 = x4.fma(w3, c43);
      FloatVector x5 = FloatVector.broadcast(SPECIES, a[r5 + kk]);
      c50 = x5.fma(w0, c50);
      c51 = x5.fma(w1, c51);
      c52 = x5.fma(w2, c52);
      c53 = x5.fma(w3, c53);
    }
    c00.intoArray(out, 0);
    c01.intoArray(out, V1);
    c02.intoArray(out, V2);
    c03.intoArray(out, V3);
    c10.intoArray(out, 1 * STRIP);
    c11.intoArray(out, 1 * STRIP + V1);
    c12.intoArray(out, 1 * STRIP + V2);
    c13.intoArray(out, 1 * STRIP + V3);
    c20.intoArray(out, 2 * STRIP);
    c21.intoArray(out, 2 * STRIP + V1);
    c22.intoArray(out, 2 * STRIP + V2);
    c23.intoArray(out, 2 * STRIP + V3);
    c30.intoArray(out, 3 * STRIP);
    c31.intoArray(out, 3 * STRIP + V1);
    c32.intoArray(out, 3 * STRIP + V2);
    c33.intoArray(out, 3 * STRIP + V3);
    c40.intoArray(out, 4 * STRIP);
    c41.intoArray(out, 4 * STRIP + V1);
    c42.intoArray(out, 4 * STRIP + V2);
    c43.intoArray(out, 4 * STRIP + V3);
    c50.intoArray(out, 5 * STRIP);
    c51.intoArray(out, 5 * STRIP + V1);
    c52.intoArray(out, 5 * STRIP + V2);
    c53.intoArray(out, 5 * STRIP + V3);
  }

  /** Four rows. */
  static void rows4(float[] a, int a0, int lda, float[] b, int b0, int k, float[] out) {
    FloatVector zero = FloatVector.zero(SPECIES);
    FloatVector c00 = zero, c01 = zero, c02 = zero, c03 = zero;
    FloatVector c10 = zero, c11 = zero, c12 = zero, c13 = zero;
    FloatVector c20 = zero, c21 = zero, c22 = zero, c23 = zero;
    FloatVector c30 = zero, c31 = zero, c32 = zero, c33 = zero;
    int r0 = a0;
    int r1 = r0 + lda;
    int r2 = r1 + lda;
    int r3 = r2 + lda;
    for (int kk = 0, bk = b0; kk < k; kk++, bk += PANEL) {
      FloatVector w0 = FloatVector.fromArray(SPECIES, b, bk);
      FloatVector w1 = FloatVector.fromArray(SPECIES, b, bk + V1);
      FloatVector w2 = FloatVector.fromArray(SPECIES, b, bk + V2);
      FloatVector w3 = FloatVector.fromArray(SPECIES, b, bk + V3);
      FloatVector x0 = FloatVector.broadcast(SPECIES, a[r0 + kk]);
      c00 = x0.fma(w0, c00);
      c01 = x0.fma(w1, c01);
      c02 = x0.fma(w2, c02);
      c03 = x0.fma(w3, c03);
      FloatVector x1 = FloatVector.broadcast(SPECIES, a[r1 + kk]);
      c10 = x1.fma(w0, c10);
      c11 = x1.fma(w1, c11);
      c12 = x1.fma(w2, c12);
      c13 = x1.fma(w3, c13);
      FloatVector x2 = FloatVector.broadcast(SPECIES, a[r2 + kk]);
      c20 = x2.fma(w0, c20);
      c21 = x2.fma(w1, c21);
      c22 = x2.fma(w2, c22);
      c23 = x2.fma(w3, c23);
      FloatVector x3 = FloatVector.broadcast(SPECIES, a[r3 + kk]);
      c30 = x3.fma(w0, c30);
      c31 = x3.fma(w1, c31);
      c32 = x3.fma(w2, c32);
      c33 = x3.fma(w3, c33);
    }
    c00.intoArray(out, 0);
    c01.intoArray(out, V1);
    c02.intoArray(out, V2);
    c03.intoArray(out, V3);
    c10.intoArray(out, 1 * STRIP);
    c11.intoArray(out, 1 * STRIP + V1);
    c12.intoArray(out, 1 * STRIP + V2);
    c13.intoArray(out, 1 * STRIP + V3);
    c20.intoArray(out, 2 * STRIP);
    c21.intoArray(out, 2 * STRIP + V1);
    c22.intoArray(out, 2 * STRIP + V2);
    c23.intoArray(out, 2 * STRIP + V3);
    c30.intoArray(out, 3 * STRIP);
    c31.intoArray(out, 3 * STRIP + V1);
    c32.intoArray(out, 3 * STRIP + V2);
    c33.intoArray(out, 3 * STRIP + V3);
  }

  /** Two rows. */
  static void rows2(float[] a, int a0, int lda, float[] b, int b0, int k, float[] out) {
    FloatVector zero = FloatVector.zero(SPECIES);
    FloatVector c00 = zero, c01 = zero, c02 = zero, c03 = zero;
    FloatVector c10 = zero, c11 = zero, c12 = zero, c13 = zero;
    int r0 = a0;
    int r1 = r0 + lda;
    for (int kk = 0, bk = b0; kk < k; kk++, bk += PANEL) {
      FloatVector w0 = FloatVector.fromArray(SPECIES, b, bk);
      FloatVector w1 = FloatVector.fromArray(SPECIES, b, bk + V1);
      FloatVector w2 = FloatVector.fromArray(SPECIES, b, bk + V2);
      FloatVector w3 = FloatVector.fromArray(SPECIES, b, bk + V3);
      FloatVector x0 = FloatVector.broadcast(SPECIES, a[r0 + kk]);
      c00 = x0.fma(w0, c00);
      c01 = x0.fma(w1, c01);
      c02 = x0.fma(w2, c02);
      c03 = x0.fma(w3, c03);
      FloatVector x1 = FloatVector.broadcast(SPECIES, a[r1 + kk]);
      c10 = x1.fma(w0, c10);
      c11 = x1.fma(w1, c11);
      c12 = x1.fma(w2, c12);
      c13 = x1.fma(w3, c13);
    }
    c00.intoArray(out, 0);
    c01.intoArray(out, V1);
    c02.intoArray(out, V2);
    c03.intoArray(out, V3);
    c10.intoArray(out, 1 * STRIP);
    c11.intoArray(out, 1 * STRIP + V1);
    c12.intoArray(out, 1 * STRIP + V2);
    c13.intoArray(out, 1 * STRIP + V3);
  }

  /** One row (the GEMV): 4 independent accumulators along one contiguous stream of weights. */
  static void rows1(float[] a, int a0, int lda, float[] b, int b0, int k, float[] out) {
    FloatVector zero = FloatVector.zero(SPECIES);
    FloatVector c00 = zero, c01 = zero, c02 = zero, c03 = zero;
    for (int kk = 0, bk = b0; kk < k; kk++, bk += PANEL) {
      FloatVector w0 = FloatVector.fromArray(SPECIES, b, bk);
      FloatVector w1 = FloatVector.fromArray(SPECIES, b, bk + V1);
      FloatVector w2 = FloatVector.fromArray(SPECIES, b, bk + V2);
      FloatVector w3 = FloatVector.fromArray(SPECIES, b, bk + V3);
      FloatVector x0 = FloatVector.broadcast(SPECIES, a[a0 + kk]);
      c00 = x0.fma(w0, c00);
      c01 = x0.fma(w1, c01);
      c02 = x0.fma(w2, c02);
      c03 = x0.fma(w3, c03);
    }
    c00.intoArray(out, 0);
    c01.intoArray(out, V1);
    c02.intoArray(out, V2);
    c03.intoArray(out, V3);
  }

  /**
   * Adds the bias to a scratch tile of rows x STRIP and stores it into C at c0 (row stride ldc),
   * its first {@code cols} columns only.
   */
  static void finish(
      float[] tile, int rows, float[] bias, int biasAt, float[] c, int c0, int ldc, int cols) {
    for (int r = 0; r < rows; r++) {
      int from = r * STRIP;
      int to = c0 + r * ldc;
      if (cols >= STRIP) {
        for (int j = 0; j < STRIP; j += LANES) {
          FloatVector v = FloatVector.fromArray(SPECIES, tile, from + j);
          if (bias != null) {
            v = v.add(FloatVector.fromArray(SPECIES, bias, biasAt + j));
          }
          v.intoArray(c, to + j);
        }
      } else {
        for (int j = 0; j < cols; j += LANES) {
          VectorMask<Float> inside = SPECIES.indexInRange(j, cols);
          FloatVector v = FloatVector.fromArray(SPECIES, tile, from + j);
          if (bias != null) {
            v = v.add(FloatVector.fromArray(SPECIES, bias, biasAt + j, inside));
          }
          v.intoArray(c, to + j, inside);
        }
      }
    }
  }

  /**
   * C rows [rowFrom, rowTo) by panel p: every strip of the panel, rows six at a time, then the rest
   * four, two and one at a time. {@code tile} is the calling thread's scratch of {@link #TILE}
   * floats.
   */
  static void panel(
      float[] a,
      int aOffset,
      int lda,
      int rowFrom,
      int rowTo,
      float[] b,
      int bOffset,
      int k,
      int n,
      int p,
      float[] bias,
      int biasOffset,
      float[] c,
      int cOffset,
      int ldc,
      float[] tile) {
    int panelStart = p * PANEL;
    for (int strip = 0; strip < PANEL && panelStart + strip < n; strip += STRIP) {
      int column = panelStart + strip;
      int cols = Math.min(STRIP, n - column);
      int b0 = bOffset + p * PANEL * k + strip;
      int biasAt = biasOffset + column;
      int r = rowFrom;
      while (r < rowTo) {
        int left = rowTo - r;
        int rows = left >= 6 ? 6 : left >= 4 ? 4 : left >= 2 ? 2 : 1;
        int a0 = aOffset + r * lda;
        switch (rows) {
          case 6 -> rows6(a, a0, lda, b, b0, k, tile);
          case 4 -> rows4(a, a0, lda, b, b0, k, tile);
          case 2 -> rows2(a, a0, lda, b, b0, k, tile);
          default -> rows1(a, a0, lda, b, b0, k, tile);
        }
        finish(tile, rows, bias, biasAt, c, cOffset + r * ldc + column, ldc, cols);
        r += rows;
      }
    }
  }
}
