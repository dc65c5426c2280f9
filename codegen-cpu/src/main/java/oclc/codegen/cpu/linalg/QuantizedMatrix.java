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
 * dequantized in a float tail per column. Each block of a column has a scale s and a zero point z
 * (a float per block, or one default for all), so a weight is (q − z)·s.
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

  /** Values of the whole groups: the values the words hold. */
  public int groupedValues() {
    return groups() * groupValues();
  }

  /**
   * Σ a[k] over each block's values among the grouped ones ({@code sums[b]}, b over {@link
   * #blocks}; 0 for blocks wholly in the tail): the zero points' share of a row's products.
   */
  public void blockSums(float[] a, int aOffset, float[] sums) {
    int grouped = groupedValues();
    for (int b = 0; b < blocks(); b++) {
      float sum = 0;
      for (int p = b * blockSize; p < Math.min(grouped, (b + 1) * blockSize); p++) {
        sum += a[aOffset + p];
      }
      sums[b] = sum;
    }
  }

  /**
   * y[n] = Σ_k a[k]·w[n, k] (+ bias[n]) for columns {@code [from, to)}: decode's product, each
   * packed word read once. It sums as Σ_b s_b·(Σ_k q_k·a_k − z_b·Σ_k a_k): the inner sums of a
   * block meet its scale once, and {@code blockSums} (of {@link #blockSums}) gives the zero points'
   * share, so that a weight costs a shift, a mask, a conversion and an FMA. {@code zeroPoints}: one
   * float per block, or null for {@code defaultZero} everywhere (then only the scales are read
   * beside the words). Offsets are in elements of the arrays; the words are read from a float array
   * holding their bits.
   */
  public void gemv(
      float[] a,
      int aOffset,
      float[] blockSums,
      float[] words,
      int wordsOffset,
      float[] scales,
      int scalesOffset,
      float[] zeroPoints,
      int zeroPointsOffset,
      float defaultZero,
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
    int grouped = groupedValues();
    int groupedBlocks = Math.ceilDiv(grouped, blockSize);
    int perWord = 32 / bits;
    int mask = (1 << bits) - 1;
    for (int column = from; column < to; column++) {
      int wordBase = wordsOffset + column * groups * GROUP_WORDS;
      int scaleBase = scalesOffset + column * blocks;
      FloatVector sum = FloatVector.zero(FLOATS);
      FloatVector blockSum = sum;
      for (int g = 0; g < groups; g++) {
        int first = g * groupValues;
        int groupWords = wordBase + g * GROUP_WORDS;
        int aAt = aOffset + first;
        if (bits == 4) {
          for (int j = 0; j < 8; j++) {
            for (int half = 0; half < GROUP_WORDS; half += LANES) {
              IntVector packed =
                  FloatVector.fromArray(FLOATS, words, groupWords + half).reinterpretAsInts();
              FloatVector q =
                  (FloatVector)
                      packed
                          .lanewise(VectorOperators.LSHR, 4 * j)
                          .and(15)
                          .convert(VectorOperators.I2F, 0);
              blockSum = q.fma(FloatVector.fromArray(FLOATS, a, aAt + 16 * j + half), blockSum);
            }
            int end = first + 16 * (j + 1);
            if ((end & (blockSize - 1)) == 0) {
              sum =
                  blockSum.fma(
                      FloatVector.broadcast(FLOATS, scales[scaleBase + (end - 1) / blockSize]),
                      sum);
              blockSum = FloatVector.zero(FLOATS);
            }
          }
        } else {
          for (int j = 0; j < 4; j++) {
            for (int half = 0; half < GROUP_WORDS; half += LANES) {
              IntVector packed =
                  FloatVector.fromArray(FLOATS, words, groupWords + half).reinterpretAsInts();
              FloatVector q =
                  (FloatVector)
                      packed
                          .lanewise(VectorOperators.LSHR, 8 * j)
                          .and(255)
                          .convert(VectorOperators.I2F, 0);
              blockSum = q.fma(FloatVector.fromArray(FLOATS, a, aAt + 16 * j + half), blockSum);
            }
            int end = first + 16 * (j + 1);
            if ((end & (blockSize - 1)) == 0) {
              sum =
                  blockSum.fma(
                      FloatVector.broadcast(FLOATS, scales[scaleBase + (end - 1) / blockSize]),
                      sum);
              blockSum = FloatVector.zero(FLOATS);
            }
          }
        }
      }
      if ((grouped & (blockSize - 1)) != 0) { // a block that goes on into the tail
        sum =
            blockSum.fma(
                FloatVector.broadcast(FLOATS, scales[scaleBase + grouped / blockSize]), sum);
      }
      float total = sum.reduceLanes(VectorOperators.ADD);
      float zeroShare = 0;
      for (int b = 0; b < groupedBlocks; b++) {
        float zero =
            zeroPoints == null ? defaultZero : zeroPoints[zeroPointsOffset + column * blocks + b];
        zeroShare += scales[scaleBase + b] * zero * blockSums[b];
      }
      total -= zeroShare;
      int tailBase = tailOffset + column * tailLength;
      for (int t = 0; t < tailLength; t++) {
        total += a[aOffset + grouped + t] * tail[tailBase + t];
      }
      y[yOffset + column] = total + (bias == null ? 0 : bias[biasOffset + column]);
    }
  }

  /**
   * Column {@code column} dequantized, (q − z)·s, into {@code weights[0, k)}, for a GEMM to reuse
   * over its rows.
   */
  public void dequantizeColumn(
      int column,
      float[] words,
      int wordsOffset,
      float[] scales,
      int scalesOffset,
      float[] zeroPoints,
      int zeroPointsOffset,
      float defaultZero,
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
          float scale = scales[scalesOffset + block];
          float zero = zeroPoints == null ? defaultZero : zeroPoints[zeroPointsOffset + block];
          FloatVector q =
              (FloatVector)
                  packed
                      .lanewise(VectorOperators.LSHR, j * bits)
                      .and(mask)
                      .convert(VectorOperators.I2F, 0);
          q.sub(zero).mul(scale).intoArray(weights, first + j * GROUP_WORDS + half);
        }
      }
    }
    if (tail() > 0) {
      System.arraycopy(tail, tailOffset + column * tail(), weights, groupedValues(), tail());
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
