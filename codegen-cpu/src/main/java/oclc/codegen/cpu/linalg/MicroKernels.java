package oclc.codegen.cpu.linalg;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;

/**
 * The register-blocked inner loops: R rows of C by one strip of 4 vectors of a panel, over all of K.
 * Each k loads the strip's 4 weight vectors once and multiplies them by each row's broadcast A
 * element into 4R independent accumulators (R = 6 holds 24 of the 32 AVX-512 registers); the bias is
 * added and C stored once at the end, masked past column N.
 *
 * <p>Written out by hand, without helpers taking vectors: a vector passed to a method C2 does not
 * inline is boxed, and C2 then boxes the loop's accumulators on every iteration (10x slower).
 */
final class MicroKernels {
  /** The machine's widest float vector, at most 16 lanes so that a 64-column panel is a whole number of strips. */
  static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED.length() > 16
      ? FloatVector.SPECIES_512 : FloatVector.SPECIES_PREFERRED;
  static final int LANES = SPECIES.length();
  /** Columns of one strip: the 4 vectors a micro-kernel holds per row. */
  static final int STRIP = 4 * LANES;
  static final int PANEL = PackedMatrix.PANEL;
  private static final int V1 = LANES;
  private static final int V2 = 2 * LANES;
  private static final int V3 = 3 * LANES;

  private MicroKernels() {}

  /** Six rows: a[a0 + r * lda + kk], c[c0 + r * ldc + j] (24 accumulators of the 32 AVX-512 registers). */
  static void rows6(float[] a, int a0, int lda, float[] b, int b0, int k, float[] bias, int biasAt, float[] c,
      int c0, int ldc, int cols) {
    FloatVector zero = FloatVector.zero(SPECIES);
    FloatVector c00 = zero, c01 = zero, c02 = zero, c03 = zero;
    FloatVector c10 = zero, c11 = zero, c12 = zero, c13 = zero;
    FloatVector c20 = zero, c21 = zero, c22 = zero, c23 = zero;
    FloatVector c30 = zero, c31 = zero, c32 = zero, c33 = zero;
    FloatVector c40 = zero, c41 = zero, c42 = zero, c43 = zero;
    FloatVector c50 = zero, c51 = zero, c52 = zero, c53 = zero;
    int r0 = a0;
    int r1 = a0 + 1 * lda;
    int r2 = a0 + 2 * lda;
    int r3 = a0 + 3 * lda;
    int r4 = a0 + 4 * lda;
    int r5 = a0 + 5 * lda;
    for (int kk = 0, bk = b0; kk < k; kk++, bk += PANEL) {
      FloatVector w0 = FloatVector.fromArray(SPECIES, b, bk);
      FloatVector w1 = FloatVector.fromArray(SPECIES, b, bk + V1);
      FloatVector w2 = FloatVector.fromArray(SPECIES, b, bk + V2);
      FloatVector w3 = FloatVector.fromArray(SPECIES, b, bk + V3);
      FloatVector x0 = FloatVector.broadcast(SPECIES, a[r0 + kk]);
      c00 = x0.fma(w0, c00); c01 = x0.fma(w1, c01); c02 = x0.fma(w2, c02); c03 = x0.fma(w3, c03);
      FloatVector x1 = FloatVector.broadcast(SPECIES, a[r1 + kk]);
      c10 = x1.fma(w0, c10); c11 = x1.fma(w1, c11); c12 = x1.fma(w2, c12); c13 = x1.fma(w3, c13);
      FloatVector x2 = FloatVector.broadcast(SPECIES, a[r2 + kk]);
      c20 = x2.fma(w0, c20); c21 = x2.fma(w1, c21); c22 = x2.fma(w2, c22); c23 = x2.fma(w3, c23);
      FloatVector x3 = FloatVector.broadcast(SPECIES, a[r3 + kk]);
      c30 = x3.fma(w0, c30); c31 = x3.fma(w1, c31); c32 = x3.fma(w2, c32); c33 = x3.fma(w3, c33);
      FloatVector x4 = FloatVector.broadcast(SPECIES, a[r4 + kk]);
      c40 = x4.fma(w0, c40); c41 = x4.fma(w1, c41); c42 = x4.fma(w2, c42); c43 = x4.fma(w3, c43);
      FloatVector x5 = FloatVector.broadcast(SPECIES, a[r5 + kk]);
      c50 = x5.fma(w0, c50); c51 = x5.fma(w1, c51); c52 = x5.fma(w2, c52); c53 = x5.fma(w3, c53);
    }
    if (cols >= STRIP) {
      if (bias != null) {
        FloatVector s0 = FloatVector.fromArray(SPECIES, bias, biasAt);
        FloatVector s1 = FloatVector.fromArray(SPECIES, bias, biasAt + V1);
        FloatVector s2 = FloatVector.fromArray(SPECIES, bias, biasAt + V2);
        FloatVector s3 = FloatVector.fromArray(SPECIES, bias, biasAt + V3);
        c00 = c00.add(s0); c01 = c01.add(s1); c02 = c02.add(s2); c03 = c03.add(s3);
        c10 = c10.add(s0); c11 = c11.add(s1); c12 = c12.add(s2); c13 = c13.add(s3);
        c20 = c20.add(s0); c21 = c21.add(s1); c22 = c22.add(s2); c23 = c23.add(s3);
        c30 = c30.add(s0); c31 = c31.add(s1); c32 = c32.add(s2); c33 = c33.add(s3);
        c40 = c40.add(s0); c41 = c41.add(s1); c42 = c42.add(s2); c43 = c43.add(s3);
        c50 = c50.add(s0); c51 = c51.add(s1); c52 = c52.add(s2); c53 = c53.add(s3);
      }
      int o0 = c0;
      c00.intoArray(c, o0); c01.intoArray(c, o0 + V1); c02.intoArray(c, o0 + V2); c03.intoArray(c, o0 + V3);
      int o1 = c0 + ldc;
      c10.intoArray(c, o1); c11.intoArray(c, o1 + V1); c12.intoArray(c, o1 + V2); c13.intoArray(c, o1 + V3);
      int o2 = c0 + 2 * ldc;
      c20.intoArray(c, o2); c21.intoArray(c, o2 + V1); c22.intoArray(c, o2 + V2); c23.intoArray(c, o2 + V3);
      int o3 = c0 + 3 * ldc;
      c30.intoArray(c, o3); c31.intoArray(c, o3 + V1); c32.intoArray(c, o3 + V2); c33.intoArray(c, o3 + V3);
      int o4 = c0 + 4 * ldc;
      c40.intoArray(c, o4); c41.intoArray(c, o4 + V1); c42.intoArray(c, o4 + V2); c43.intoArray(c, o4 + V3);
      int o5 = c0 + 5 * ldc;
      c50.intoArray(c, o5); c51.intoArray(c, o5 + V1); c52.intoArray(c, o5 + V2); c53.intoArray(c, o5 + V3);
    } else {
      // The last strip of N: lanes past column N are neither read from the bias nor stored.
      VectorMask<Float> m0 = SPECIES.indexInRange(0, cols);
      VectorMask<Float> m1 = SPECIES.indexInRange(V1, cols);
      VectorMask<Float> m2 = SPECIES.indexInRange(V2, cols);
      VectorMask<Float> m3 = SPECIES.indexInRange(V3, cols);
      if (bias != null) {
        FloatVector s0 = FloatVector.fromArray(SPECIES, bias, biasAt, m0);
        FloatVector s1 = FloatVector.fromArray(SPECIES, bias, biasAt + V1, m1);
        FloatVector s2 = FloatVector.fromArray(SPECIES, bias, biasAt + V2, m2);
        FloatVector s3 = FloatVector.fromArray(SPECIES, bias, biasAt + V3, m3);
        c00 = c00.add(s0); c01 = c01.add(s1); c02 = c02.add(s2); c03 = c03.add(s3);
        c10 = c10.add(s0); c11 = c11.add(s1); c12 = c12.add(s2); c13 = c13.add(s3);
        c20 = c20.add(s0); c21 = c21.add(s1); c22 = c22.add(s2); c23 = c23.add(s3);
        c30 = c30.add(s0); c31 = c31.add(s1); c32 = c32.add(s2); c33 = c33.add(s3);
        c40 = c40.add(s0); c41 = c41.add(s1); c42 = c42.add(s2); c43 = c43.add(s3);
        c50 = c50.add(s0); c51 = c51.add(s1); c52 = c52.add(s2); c53 = c53.add(s3);
      }
      int o0 = c0;
      c00.intoArray(c, o0, m0); c01.intoArray(c, o0 + V1, m1);
      c02.intoArray(c, o0 + V2, m2); c03.intoArray(c, o0 + V3, m3);
      int o1 = c0 + ldc;
      c10.intoArray(c, o1, m0); c11.intoArray(c, o1 + V1, m1);
      c12.intoArray(c, o1 + V2, m2); c13.intoArray(c, o1 + V3, m3);
      int o2 = c0 + 2 * ldc;
      c20.intoArray(c, o2, m0); c21.intoArray(c, o2 + V1, m1);
      c22.intoArray(c, o2 + V2, m2); c23.intoArray(c, o2 + V3, m3);
      int o3 = c0 + 3 * ldc;
      c30.intoArray(c, o3, m0); c31.intoArray(c, o3 + V1, m1);
      c32.intoArray(c, o3 + V2, m2); c33.intoArray(c, o3 + V3, m3);
      int o4 = c0 + 4 * ldc;
      c40.intoArray(c, o4, m0); c41.intoArray(c, o4 + V1, m1);
      c42.intoArray(c, o4 + V2, m2); c43.intoArray(c, o4 + V3, m3);
      int o5 = c0 + 5 * ldc;
      c50.intoArray(c, o5, m0); c51.intoArray(c, o5 + V1, m1);
      c52.intoArray(c, o5 + V2, m2); c53.intoArray(c, o5 + V3, m3);
    }
  }

  /** Two rows. */
  static void rows2(float[] a, int a0, int lda, float[] b, int b0, int k, float[] bias, int biasAt, float[] c,
      int c0, int ldc, int cols) {
    FloatVector zero = FloatVector.zero(SPECIES);
    FloatVector c00 = zero, c01 = zero, c02 = zero, c03 = zero;
    FloatVector c10 = zero, c11 = zero, c12 = zero, c13 = zero;
    int r0 = a0;
    int r1 = a0 + 1 * lda;
    for (int kk = 0, bk = b0; kk < k; kk++, bk += PANEL) {
      FloatVector w0 = FloatVector.fromArray(SPECIES, b, bk);
      FloatVector w1 = FloatVector.fromArray(SPECIES, b, bk + V1);
      FloatVector w2 = FloatVector.fromArray(SPECIES, b, bk + V2);
      FloatVector w3 = FloatVector.fromArray(SPECIES, b, bk + V3);
      FloatVector x0 = FloatVector.broadcast(SPECIES, a[r0 + kk]);
      c00 = x0.fma(w0, c00); c01 = x0.fma(w1, c01); c02 = x0.fma(w2, c02); c03 = x0.fma(w3, c03);
      FloatVector x1 = FloatVector.broadcast(SPECIES, a[r1 + kk]);
      c10 = x1.fma(w0, c10); c11 = x1.fma(w1, c11); c12 = x1.fma(w2, c12); c13 = x1.fma(w3, c13);
    }
    if (cols >= STRIP) {
      if (bias != null) {
        FloatVector s0 = FloatVector.fromArray(SPECIES, bias, biasAt);
        FloatVector s1 = FloatVector.fromArray(SPECIES, bias, biasAt + V1);
        FloatVector s2 = FloatVector.fromArray(SPECIES, bias, biasAt + V2);
        FloatVector s3 = FloatVector.fromArray(SPECIES, bias, biasAt + V3);
        c00 = c00.add(s0); c01 = c01.add(s1); c02 = c02.add(s2); c03 = c03.add(s3);
        c10 = c10.add(s0); c11 = c11.add(s1); c12 = c12.add(s2); c13 = c13.add(s3);
      }
      int o0 = c0;
      c00.intoArray(c, o0); c01.intoArray(c, o0 + V1); c02.intoArray(c, o0 + V2); c03.intoArray(c, o0 + V3);
      int o1 = c0 + ldc;
      c10.intoArray(c, o1); c11.intoArray(c, o1 + V1); c12.intoArray(c, o1 + V2); c13.intoArray(c, o1 + V3);
    } else {
      // The last strip of N: lanes past column N are neither read from the bias nor stored.
      VectorMask<Float> m0 = SPECIES.indexInRange(0, cols);
      VectorMask<Float> m1 = SPECIES.indexInRange(V1, cols);
      VectorMask<Float> m2 = SPECIES.indexInRange(V2, cols);
      VectorMask<Float> m3 = SPECIES.indexInRange(V3, cols);
      if (bias != null) {
        FloatVector s0 = FloatVector.fromArray(SPECIES, bias, biasAt, m0);
        FloatVector s1 = FloatVector.fromArray(SPECIES, bias, biasAt + V1, m1);
        FloatVector s2 = FloatVector.fromArray(SPECIES, bias, biasAt + V2, m2);
        FloatVector s3 = FloatVector.fromArray(SPECIES, bias, biasAt + V3, m3);
        c00 = c00.add(s0); c01 = c01.add(s1); c02 = c02.add(s2); c03 = c03.add(s3);
        c10 = c10.add(s0); c11 = c11.add(s1); c12 = c12.add(s2); c13 = c13.add(s3);
      }
      int o0 = c0;
      c00.intoArray(c, o0, m0); c01.intoArray(c, o0 + V1, m1);
      c02.intoArray(c, o0 + V2, m2); c03.intoArray(c, o0 + V3, m3);
      int o1 = c0 + ldc;
      c10.intoArray(c, o1, m0); c11.intoArray(c, o1 + V1, m1);
      c12.intoArray(c, o1 + V2, m2); c13.intoArray(c, o1 + V3, m3);
    }
  }

  /** One row (the GEMV): 4 independent accumulators along one contiguous stream of weights. */
  static void rows1(float[] a, int a0, int lda, float[] b, int b0, int k, float[] bias, int biasAt, float[] c,
      int c0, int ldc, int cols) {
    FloatVector zero = FloatVector.zero(SPECIES);
    FloatVector c00 = zero, c01 = zero, c02 = zero, c03 = zero;
    int r0 = a0;
    for (int kk = 0, bk = b0; kk < k; kk++, bk += PANEL) {
      FloatVector w0 = FloatVector.fromArray(SPECIES, b, bk);
      FloatVector w1 = FloatVector.fromArray(SPECIES, b, bk + V1);
      FloatVector w2 = FloatVector.fromArray(SPECIES, b, bk + V2);
      FloatVector w3 = FloatVector.fromArray(SPECIES, b, bk + V3);
      FloatVector x0 = FloatVector.broadcast(SPECIES, a[r0 + kk]);
      c00 = x0.fma(w0, c00); c01 = x0.fma(w1, c01); c02 = x0.fma(w2, c02); c03 = x0.fma(w3, c03);
    }
    if (cols >= STRIP) {
      if (bias != null) {
        FloatVector s0 = FloatVector.fromArray(SPECIES, bias, biasAt);
        FloatVector s1 = FloatVector.fromArray(SPECIES, bias, biasAt + V1);
        FloatVector s2 = FloatVector.fromArray(SPECIES, bias, biasAt + V2);
        FloatVector s3 = FloatVector.fromArray(SPECIES, bias, biasAt + V3);
        c00 = c00.add(s0); c01 = c01.add(s1); c02 = c02.add(s2); c03 = c03.add(s3);
      }
      int o0 = c0;
      c00.intoArray(c, o0); c01.intoArray(c, o0 + V1); c02.intoArray(c, o0 + V2); c03.intoArray(c, o0 + V3);
    } else {
      // The last strip of N: lanes past column N are neither read from the bias nor stored.
      VectorMask<Float> m0 = SPECIES.indexInRange(0, cols);
      VectorMask<Float> m1 = SPECIES.indexInRange(V1, cols);
      VectorMask<Float> m2 = SPECIES.indexInRange(V2, cols);
      VectorMask<Float> m3 = SPECIES.indexInRange(V3, cols);
      if (bias != null) {
        FloatVector s0 = FloatVector.fromArray(SPECIES, bias, biasAt, m0);
        FloatVector s1 = FloatVector.fromArray(SPECIES, bias, biasAt + V1, m1);
        FloatVector s2 = FloatVector.fromArray(SPECIES, bias, biasAt + V2, m2);
        FloatVector s3 = FloatVector.fromArray(SPECIES, bias, biasAt + V3, m3);
        c00 = c00.add(s0); c01 = c01.add(s1); c02 = c02.add(s2); c03 = c03.add(s3);
      }
      int o0 = c0;
      c00.intoArray(c, o0, m0); c01.intoArray(c, o0 + V1, m1);
      c02.intoArray(c, o0 + V2, m2); c03.intoArray(c, o0 + V3, m3);
    }
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
        rows1(a, aOffset + r * lda, lda, b, b0, k, bias, biasAt, c, cOffset + r * ldc + column, ldc, cols);
      }
    }
  }
}
