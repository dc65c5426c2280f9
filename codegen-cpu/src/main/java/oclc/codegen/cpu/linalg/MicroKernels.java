package oclc.codegen.cpu.linalg;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The register-blocked inner loops: R rows of C by one strip of 4 vectors of a panel, over all of K.
 * Each k loads the strip's 4 weight vectors once and multiplies them by each row's broadcast A
 * element into 4R independent accumulators (R = 6 holds 24 of the 32 AVX-512 registers), started
 * from the bias (or zero) and stored once at the end, masked past column N.
 */
final class MicroKernels {
  /** The machine's widest float vector, at most 16 lanes so that a 64-column panel is a whole number of strips. */
  static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED.length() > 16
      ? FloatVector.SPECIES_512 : FloatVector.SPECIES_PREFERRED;
  static final int LANES = SPECIES.length();
  /** Columns of one strip: the 4 vectors a micro-kernel holds per row. */
  static final int STRIP = 4 * LANES;
  static final int PANEL = PackedMatrix.PANEL;

  private MicroKernels() {}

  /** Bias or zero for the strip's 4 vectors; cols = the strip's columns inside N. */
  private static FloatVector start(float[] bias, int at, int cols, int j) {
    if (bias == null) {
      return FloatVector.zero(SPECIES);
    }
    int offset = j * LANES;
    if (cols >= offset + LANES) {
      return FloatVector.fromArray(SPECIES, bias, at + offset);
    }
    return FloatVector.fromArray(SPECIES, bias, at + offset, SPECIES.indexInRange(offset, cols));
  }

  private static void store(FloatVector v0, FloatVector v1, FloatVector v2, FloatVector v3, float[] c, int at,
      int cols) {
    if (cols >= STRIP) {
      v0.intoArray(c, at);
      v1.intoArray(c, at + LANES);
      v2.intoArray(c, at + 2 * LANES);
      v3.intoArray(c, at + 3 * LANES);
      return;
    }
    storePart(v0, c, at, cols, 0);
    storePart(v1, c, at, cols, 1);
    storePart(v2, c, at, cols, 2);
    storePart(v3, c, at, cols, 3);
  }

  private static void storePart(FloatVector v, float[] c, int at, int cols, int j) {
    int offset = j * LANES;
    if (cols >= offset + LANES) {
      v.intoArray(c, at + offset);
    } else if (cols > offset) {
      v.intoArray(c, at + offset, SPECIES.indexInRange(offset, cols));
    }
  }

  /** Six rows: a[a0 + r * lda + kk], c[c0 + r * ldc + j]. */
  static void rows6(float[] a, int a0, int lda, float[] b, int b0, int k, float[] bias, int biasAt, float[] c,
      int c0, int ldc, int cols) {
    FloatVector s0 = start(bias, biasAt, cols, 0);
    FloatVector s1 = start(bias, biasAt, cols, 1);
    FloatVector s2 = start(bias, biasAt, cols, 2);
    FloatVector s3 = start(bias, biasAt, cols, 3);
    FloatVector c00 = s0, c01 = s1, c02 = s2, c03 = s3;
    FloatVector c10 = s0, c11 = s1, c12 = s2, c13 = s3;
    FloatVector c20 = s0, c21 = s1, c22 = s2, c23 = s3;
    FloatVector c30 = s0, c31 = s1, c32 = s2, c33 = s3;
    FloatVector c40 = s0, c41 = s1, c42 = s2, c43 = s3;
    FloatVector c50 = s0, c51 = s1, c52 = s2, c53 = s3;
    int r0 = a0, r1 = a0 + lda, r2 = r1 + lda, r3 = r2 + lda, r4 = r3 + lda, r5 = r4 + lda;
    for (int kk = 0, bk = b0; kk < k; kk++, bk += PANEL) {
      FloatVector b0v = FloatVector.fromArray(SPECIES, b, bk);
      FloatVector b1v = FloatVector.fromArray(SPECIES, b, bk + LANES);
      FloatVector b2v = FloatVector.fromArray(SPECIES, b, bk + 2 * LANES);
      FloatVector b3v = FloatVector.fromArray(SPECIES, b, bk + 3 * LANES);
      FloatVector x = FloatVector.broadcast(SPECIES, a[r0 + kk]);
      c00 = x.fma(b0v, c00); c01 = x.fma(b1v, c01); c02 = x.fma(b2v, c02); c03 = x.fma(b3v, c03);
      x = FloatVector.broadcast(SPECIES, a[r1 + kk]);
      c10 = x.fma(b0v, c10); c11 = x.fma(b1v, c11); c12 = x.fma(b2v, c12); c13 = x.fma(b3v, c13);
      x = FloatVector.broadcast(SPECIES, a[r2 + kk]);
      c20 = x.fma(b0v, c20); c21 = x.fma(b1v, c21); c22 = x.fma(b2v, c22); c23 = x.fma(b3v, c23);
      x = FloatVector.broadcast(SPECIES, a[r3 + kk]);
      c30 = x.fma(b0v, c30); c31 = x.fma(b1v, c31); c32 = x.fma(b2v, c32); c33 = x.fma(b3v, c33);
      x = FloatVector.broadcast(SPECIES, a[r4 + kk]);
      c40 = x.fma(b0v, c40); c41 = x.fma(b1v, c41); c42 = x.fma(b2v, c42); c43 = x.fma(b3v, c43);
      x = FloatVector.broadcast(SPECIES, a[r5 + kk]);
      c50 = x.fma(b0v, c50); c51 = x.fma(b1v, c51); c52 = x.fma(b2v, c52); c53 = x.fma(b3v, c53);
    }
    store(c00, c01, c02, c03, c, c0, cols);
    store(c10, c11, c12, c13, c, c0 + ldc, cols);
    store(c20, c21, c22, c23, c, c0 + 2 * ldc, cols);
    store(c30, c31, c32, c33, c, c0 + 3 * ldc, cols);
    store(c40, c41, c42, c43, c, c0 + 4 * ldc, cols);
    store(c50, c51, c52, c53, c, c0 + 5 * ldc, cols);
  }

  /** Two rows. */
  static void rows2(float[] a, int a0, int lda, float[] b, int b0, int k, float[] bias, int biasAt, float[] c,
      int c0, int ldc, int cols) {
    FloatVector c00 = start(bias, biasAt, cols, 0);
    FloatVector c01 = start(bias, biasAt, cols, 1);
    FloatVector c02 = start(bias, biasAt, cols, 2);
    FloatVector c03 = start(bias, biasAt, cols, 3);
    FloatVector c10 = c00, c11 = c01, c12 = c02, c13 = c03;
    int r0 = a0, r1 = a0 + lda;
    for (int kk = 0, bk = b0; kk < k; kk++, bk += PANEL) {
      FloatVector b0v = FloatVector.fromArray(SPECIES, b, bk);
      FloatVector b1v = FloatVector.fromArray(SPECIES, b, bk + LANES);
      FloatVector b2v = FloatVector.fromArray(SPECIES, b, bk + 2 * LANES);
      FloatVector b3v = FloatVector.fromArray(SPECIES, b, bk + 3 * LANES);
      FloatVector x = FloatVector.broadcast(SPECIES, a[r0 + kk]);
      c00 = x.fma(b0v, c00); c01 = x.fma(b1v, c01); c02 = x.fma(b2v, c02); c03 = x.fma(b3v, c03);
      x = FloatVector.broadcast(SPECIES, a[r1 + kk]);
      c10 = x.fma(b0v, c10); c11 = x.fma(b1v, c11); c12 = x.fma(b2v, c12); c13 = x.fma(b3v, c13);
    }
    store(c00, c01, c02, c03, c, c0, cols);
    store(c10, c11, c12, c13, c, c0 + ldc, cols);
  }

  /** One row (decode's GEMV): 4 independent accumulators along one contiguous stream of weights. */
  static void rows1(float[] a, int a0, float[] b, int b0, int k, float[] bias, int biasAt, float[] c, int c0,
      int cols) {
    FloatVector c00 = start(bias, biasAt, cols, 0);
    FloatVector c01 = start(bias, biasAt, cols, 1);
    FloatVector c02 = start(bias, biasAt, cols, 2);
    FloatVector c03 = start(bias, biasAt, cols, 3);
    for (int kk = 0, bk = b0; kk < k; kk++, bk += PANEL) {
      FloatVector x = FloatVector.broadcast(SPECIES, a[a0 + kk]);
      c00 = x.fma(FloatVector.fromArray(SPECIES, b, bk), c00);
      c01 = x.fma(FloatVector.fromArray(SPECIES, b, bk + LANES), c01);
      c02 = x.fma(FloatVector.fromArray(SPECIES, b, bk + 2 * LANES), c02);
      c03 = x.fma(FloatVector.fromArray(SPECIES, b, bk + 3 * LANES), c03);
    }
    store(c00, c01, c02, c03, c, c0, cols);
  }

  /**
   * C rows [rowFrom, rowTo) by panel p: every strip of the panel, rows six at a time, then the rest
   * two and one at a time.
   */
  static void panel(float[] a, int aOffset, int lda, int rowFrom, int rowTo, float[] b, int bOffset, int k, int n,
      int p, float[] bias, int biasOffset, float[] c, int cOffset, int ldc) {
    int panelStart = p * PANEL;
    for (int strip = 0; strip < PANEL && panelStart + strip < n; strip += STRIP) {
      int column = panelStart + strip;
      int cols = Math.min(STRIP, n - column);
      int b0 = bOffset + p * PANEL * k + strip;
      int biasAt = biasOffset + column;
      int r = rowFrom;
      for (; r + 6 <= rowTo; r += 6) {
        rows6(a, aOffset + r * lda, lda, b, b0, k, bias, biasAt, c, cOffset + r * ldc + column, ldc, cols);
      }
      for (; r + 2 <= rowTo; r += 2) {
        rows2(a, aOffset + r * lda, lda, b, b0, k, bias, biasAt, c, cOffset + r * ldc + column, ldc, cols);
      }
      if (r < rowTo) {
        rows1(a, aOffset + r * lda, b, b0, k, bias, biasAt, c, cOffset + r * ldc + column, cols);
      }
    }
  }
}
