package oclc.codegen.cpu.linalg;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Block-quantized weights (MatMulNBits' N columns of K values, 4 or 8 bits each) laid out for
 * Vector API kernels that read the packed values directly, and those kernels: a GEMV that streams
 * every packed byte once and a GEMM that dequantizes each column once for all rows.
 *
 * <p>The layout, made once at compile time from the node's bytes: per column, groups of {@link
 * #GROUP_WORDS} 32-bit words; word {@code l} of a group holds value {@code j·16 + l} of the group
 * in its bits {@code [j·bits, (j + 1)·bits)}, so that shifting a vector of 16 words by {@code
 * j·bits} and masking gives 16 consecutive values, which meet 16 consecutive activations. A group
 * holds 128 values of 4 bits or 64 of 8; the K mod group values past the last whole group are kept
 * dequantized in a float tail per column. Each block of a column has a scale s and an offset −z·s
 * (z its zero point), so a weight is q·s − z·s.
 */
public final class QuantizedMatrix {
  /** Words per group: one AVX-512 vector, or two AVX2 ones. */
  public static final int GROUP_WORDS = 16;

  private static final VectorSpecies<Float> FLOATS =
      FloatVector.SPECIES_PREFERRED.length() >= GROUP_WORDS
          ? FloatVector.SPECIES_512
          : FloatVector.SPECIES_PREFERRED;

  private static final int LANES = FLOATS.length();

  private final int bits;
  private final int k;
  private final int n;
  private final int blockSize;

  public QuantizedMatrix(int bits, int k, int n, int blockSize) {
    if (bits != 4 && bits != 8) {
      throw new IllegalArgumentException("bits must be 4 or 8, not " + bits);
    }
    this.bits = bits;
    this.k = k;
    this.n = n;
    this.blockSize = blockSize;
  }

  public int k() {
    return k;
  }

  public int n() {
    return n;
  }

  /** Values per group. */
  public int groupValues() {
    return GROUP_WORDS * 32 / bits;
  }

  /** Whole groups per column. */
  public int groups() {
    return k / groupValues();
  }

  /** Values per column past its whole groups, kept as floats. */
  public int tail() {
    return k - groups() * groupValues();
  }

  public int blocks() {
    return Math.ceilDiv(k, blockSize);
  }

  /** Words of the whole matrix. */
  public int wordCount() {
    return n * groups() * GROUP_WORDS;
  }

  /**
   * The words of column-major unsigned values {@code values[column][k]} (as 0..2^bits − 1), into
   * {@code words}.
   */
  public void packColumn(int column, int[] values, int[] words) {
    int base = column * groups() * GROUP_WORDS;
    int perWord = 32 / bits;
    for (int g = 0; g < groups(); g++) {
      for (int l = 0; l < GROUP_WORDS; l++) {
        int word = 0;
        for (int j = 0; j < perWord; j++) {
          word |= values[g * groupValues() + j * GROUP_WORDS + l] << (j * bits);
        }
        words[base + g * GROUP_WORDS + l] = word;
      }
    }
  }

  /**
   * y[n] = Σ_k a[k]·w[n, k] (+ bias[n]) for columns {@code [from, to)}: decode's product, each
   * packed word read once. Offsets are in elements of the arrays; words are read from a float array
   * holding their bits.
   */
  public void gemv(
      float[] a,
      int aOffset,
      float[] words,
      int wordsOffset,
      float[] scales,
      int scalesOffset,
      float[] offsets,
      int offsetsOffset,
      float[] tail,
      int tailOffset,
      float[] bias,
      int biasOffset,
      float[] y,
      int yOffset,
      int from,
      int to) {
    int groups = groups();
    int blocks = blocks();
    int tailLength = tail();
    int groupValues = groupValues();
    for (int column = from; column < to; column++) {
      int wordBase = wordsOffset + column * groups * GROUP_WORDS;
      int blockBase = column * blocks;
      FloatVector sum = FloatVector.zero(FLOATS);
      for (int g = 0; g < groups; g++) {
        int first = g * groupValues;
        for (int half = 0; half < GROUP_WORDS; half += LANES) {
          IntVector packed =
              FloatVector.fromArray(FLOATS, words, wordBase + g * GROUP_WORDS + half)
                  .reinterpretAsInts();
          sum =
              bits == 4
                  ? fourBitGroup(
                      packed,
                      a,
                      aOffset + first + half,
                      first,
                      blockBase,
                      scales,
                      scalesOffset,
                      offsets,
                      offsetsOffset,
                      sum)
                  : eightBitGroup(
                      packed,
                      a,
                      aOffset + first + half,
                      first,
                      blockBase,
                      scales,
                      scalesOffset,
                      offsets,
                      offsetsOffset,
                      sum);
        }
      }
      float total = sum.reduceLanes(VectorOperators.ADD);
      int tailBase = tailOffset + column * tailLength;
      int tailStart = aOffset + groups * groupValues;
      for (int t = 0; t < tailLength; t++) {
        total += a[tailStart + t] * tail[tailBase + t];
      }
      y[yOffset + column] = total + (bias == null ? 0 : bias[biasOffset + column]);
    }
  }

  /** The 8 runs of 16 values of one group's word vector, each times its activations. */
  private FloatVector fourBitGroup(
      IntVector packed,
      float[] a,
      int aAt,
      int first,
      int blockBase,
      float[] scales,
      int scalesOffset,
      float[] offsets,
      int offsetsOffset,
      FloatVector sum) {
    for (int j = 0; j < 8; j++) {
      int block = blockBase + (first + j * GROUP_WORDS) / blockSize;
      FloatVector q =
          (FloatVector)
              packed.lanewise(VectorOperators.LSHR, j * 4).and(15).convert(VectorOperators.I2F, 0);
      FloatVector w = q.fma(scales[scalesOffset + block], offsets[offsetsOffset + block]);
      sum = w.fma(FloatVector.fromArray(FLOATS, a, aAt + j * GROUP_WORDS), sum);
    }
    return sum;
  }

  private FloatVector eightBitGroup(
      IntVector packed,
      float[] a,
      int aAt,
      int first,
      int blockBase,
      float[] scales,
      int scalesOffset,
      float[] offsets,
      int offsetsOffset,
      FloatVector sum) {
    for (int j = 0; j < 4; j++) {
      int block = blockBase + (first + j * GROUP_WORDS) / blockSize;
      FloatVector q =
          (FloatVector)
              packed.lanewise(VectorOperators.LSHR, j * 8).and(255).convert(VectorOperators.I2F, 0);
      FloatVector w = q.fma(scales[scalesOffset + block], offsets[offsetsOffset + block]);
      sum = w.fma(FloatVector.fromArray(FLOATS, a, aAt + j * GROUP_WORDS), sum);
    }
    return sum;
  }

  /**
   * Column {@code column} dequantized into {@code weights[0, k)}, for a GEMM to reuse over its
   * rows.
   */
  public void dequantizeColumn(
      int column,
      float[] words,
      int wordsOffset,
      float[] scales,
      int scalesOffset,
      float[] offsets,
      int offsetsOffset,
      float[] tail,
      int tailOffset,
      float[] weights) {
    int groups = groups();
    int groupValues = groupValues();
    int wordBase = wordsOffset + column * groups * GROUP_WORDS;
    int blockBase = column * blocks();
    int perWord = 32 / bits;
    int mask = (1 << bits) - 1;
    for (int g = 0; g < groups; g++) {
      int first = g * groupValues;
      for (int half = 0; half < GROUP_WORDS; half += LANES) {
        IntVector packed =
            FloatVector.fromArray(FLOATS, words, wordBase + g * GROUP_WORDS + half)
                .reinterpretAsInts();
        for (int j = 0; j < perWord; j++) {
          int block = blockBase + (first + j * GROUP_WORDS) / blockSize;
          FloatVector q =
              (FloatVector)
                  packed
                      .lanewise(VectorOperators.LSHR, j * bits)
                      .and(mask)
                      .convert(VectorOperators.I2F, 0);
          q.fma(scales[scalesOffset + block], offsets[offsetsOffset + block])
              .intoArray(weights, first + j * GROUP_WORDS + half);
        }
      }
    }
    if (tail() > 0) {
      System.arraycopy(tail, tailOffset + column * tail(), weights, groups * groupValues, tail());
    }
  }

  /**
   * Y[r, column] = Σ_k A[r, k]·weights[k] (+ bias) for rows {@code [0, rows)}: one dequantized
   * column against every row, four rows at a time.
   */
  public void columnTimesRows(
      float[] weights,
      float[] a,
      int aOffset,
      int rows,
      float biasValue,
      float[] y,
      int yOffset,
      int column) {
    int vectorEnd = k - k % LANES;
    int r = 0;
    for (; r + 4 <= rows; r += 4) {
      int a0 = aOffset + r * k;
      int a1 = a0 + k;
      int a2 = a1 + k;
      int a3 = a2 + k;
      FloatVector s0 = FloatVector.zero(FLOATS);
      FloatVector s1 = s0;
      FloatVector s2 = s0;
      FloatVector s3 = s0;
      for (int p = 0; p < vectorEnd; p += LANES) {
        FloatVector w = FloatVector.fromArray(FLOATS, weights, p);
        s0 = w.fma(FloatVector.fromArray(FLOATS, a, a0 + p), s0);
        s1 = w.fma(FloatVector.fromArray(FLOATS, a, a1 + p), s1);
        s2 = w.fma(FloatVector.fromArray(FLOATS, a, a2 + p), s2);
        s3 = w.fma(FloatVector.fromArray(FLOATS, a, a3 + p), s3);
      }
      float t0 = s0.reduceLanes(VectorOperators.ADD);
      float t1 = s1.reduceLanes(VectorOperators.ADD);
      float t2 = s2.reduceLanes(VectorOperators.ADD);
      float t3 = s3.reduceLanes(VectorOperators.ADD);
      for (int p = vectorEnd; p < k; p++) {
        t0 += weights[p] * a[a0 + p];
        t1 += weights[p] * a[a1 + p];
        t2 += weights[p] * a[a2 + p];
        t3 += weights[p] * a[a3 + p];
      }
      y[yOffset + r * n + column] = t0 + biasValue;
      y[yOffset + (r + 1) * n + column] = t1 + biasValue;
      y[yOffset + (r + 2) * n + column] = t2 + biasValue;
      y[yOffset + (r + 3) * n + column] = t3 + biasValue;
    }
    for (; r < rows; r++) {
      int a0 = aOffset + r * k;
      FloatVector s0 = FloatVector.zero(FLOATS);
      for (int p = 0; p < vectorEnd; p += LANES) {
        s0 =
            FloatVector.fromArray(FLOATS, weights, p)
                .fma(FloatVector.fromArray(FLOATS, a, a0 + p), s0);
      }
      float t0 = s0.reduceLanes(VectorOperators.ADD);
      for (int p = vectorEnd; p < k; p++) {
        t0 += weights[p] * a[a0 + p];
      }
      y[yOffset + r * n + column] = t0 + biasValue;
    }
  }
}
