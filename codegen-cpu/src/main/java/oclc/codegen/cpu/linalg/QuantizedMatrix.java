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
 * <p>The layout, made once at compile time from the node's bytes, interleaves the columns: panels
 * of {@link #PANEL} columns (N padded up with zero scales); a panel's words go k step by k step,
 * each step {@link #PANEL} words side by side, word {@code c} holding values {@code [kk·per, (kk +
 * 1)·per)} of the panel's column {@code c} in its bits {@code [j·bits, (j + 1)·bits)} (per = 32 /
 * bits). A GEMV then broadcasts one activation against a shift and a mask of four vectors of
 * columns read from one stream, with no reduction across lanes. The scales, zero points and the
 * float tail (the K mod per values past the last whole word, dequantized) lie the same way: [panel]
 * [block or tail index][column of the panel]. Each block of a column has a scale s and a zero point
 * z (a float per block, or one default for all), so a weight is (q − z)·s.
 */
public final class QuantizedMatrix {
  /** Columns per panel: four vectors of 16 lanes (AVX-512), walked in one stream. */
  public static final int PANEL = 64;

  private static final VectorSpecies<Float> FLOATS =
      FloatVector.SPECIES_PREFERRED.length() >= 16
          ? FloatVector.SPECIES_512
          : FloatVector.SPECIES_PREFERRED;

  private static final int LANES = FLOATS.length();

  /** Columns one pass over a panel's stream takes: four vectors' worth of accumulators. */
  private static final int PASS = 4 * LANES;

  private final int bits;
  private final int k;
  private final int n;
  private final int blockSize;

  public QuantizedMatrix(int bits, int k, int n, int blockSize) {
    if (bits != 4 && bits != 8) {
      throw new IllegalArgumentException("bits must be 4 or 8, not " + bits);
    }
    if (blockSize <= 0 || blockSize % (32 / bits) != 0) {
      throw new IllegalArgumentException(
          "block_size must be a multiple of " + 32 / bits + ", not " + blockSize);
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

  /** Values per 32-bit word. */
  public int valuesPerWord() {
    return 32 / bits;
  }

  /** Whole words per column: the k steps of a panel's stream. */
  public int kWords() {
    return k / valuesPerWord();
  }

  /** Values per column past its whole words, kept as floats. */
  public int tail() {
    return k - packedValues();
  }

  /** Values of the whole words: the values the words hold. */
  public int packedValues() {
    return kWords() * valuesPerWord();
  }

  public int blocks() {
    return Math.ceilDiv(k, blockSize);
  }

  /** Panels of {@link #PANEL} columns, the last one padded. */
  public int panels() {
    return Math.ceilDiv(n, PANEL);
  }

  /** Words of the whole matrix. */
  public int wordCount() {
    return panels() * kWords() * PANEL;
  }

  /** Floats of a per-block table (scales, zero points), padded columns included. */
  public int blockTableSize() {
    return panels() * blocks() * PANEL;
  }

  /** Floats of the tail table. */
  public int tailTableSize() {
    return panels() * tail() * PANEL;
  }

  /** Index of column {@code column}'s block {@code block} in a per-block table. */
  public int blockIndex(int column, int block) {
    return ((column / PANEL) * blocks() + block) * PANEL + column % PANEL;
  }

  /** Index of column {@code column}'s tail value {@code t} in the tail table. */
  public int tailIndex(int column, int t) {
    return ((column / PANEL) * tail() + t) * PANEL + column % PANEL;
  }

  private int wordIndex(int column, int kk) {
    return ((column / PANEL) * kWords() + kk) * PANEL + column % PANEL;
  }

  /** The words of one column's unsigned values {@code values[k]} (as 0..2^bits − 1). */
  public void packColumn(int column, int[] values, int[] words) {
    int perWord = valuesPerWord();
    for (int kk = 0; kk < kWords(); kk++) {
      int word = 0;
      for (int j = 0; j < perWord; j++) {
        word |= values[kk * perWord + j] << (j * bits);
      }
      words[wordIndex(column, kk)] = word;
    }
  }

  /**
   * Σ a[k] over each block's values among the packed ones ({@code sums[b]}, b over {@link #blocks};
   * 0 for blocks wholly in the tail): the zero points' share of a row's products.
   */
  public void blockSums(float[] a, int aOffset, float[] sums) {
    int packed = packedValues();
    for (int b = 0; b < blocks(); b++) {
      float sum = 0;
      for (int p = b * blockSize; p < Math.min(packed, (b + 1) * blockSize); p++) {
        sum += a[aOffset + p];
      }
      sums[b] = sum;
    }
  }

  /**
   * y[n] = Σ_k a[k]·w[n, k] (+ bias[n]) for the columns of panels {@code [from, to)}: decode's
   * product, each packed word read once. Four vectors of columns sum Σ_k q_k·a_k of a block, each
   * step one broadcast activation against a shift and a mask of each; the block's sum, less z·Σ a
   * ({@code blockSums} of {@link #blockSums}), meets a vector of its scales once. {@code
   * zeroPoints}: a per-block table, or null for {@code defaultZero} everywhere. Offsets are in
   * elements of the arrays; the words are read from a float array holding their bits.
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
    int kWords = kWords();
    int blocks = blocks();
    int tailLength = tail();
    int packed = packedValues();
    int perWord = valuesPerWord();
    int wordsPerBlock = blockSize / perWord;
    int mask = (1 << bits) - 1;
    FloatVector defaultZeros = FloatVector.broadcast(FLOATS, defaultZero);
    for (int panel = from; panel < to; panel++) {
      for (int pass = 0; pass < PANEL; pass += PASS) {
        FloatVector s0 = FloatVector.zero(FLOATS);
        FloatVector s1 = s0;
        FloatVector s2 = s0;
        FloatVector s3 = s0;
        for (int b = 0; b < blocks && b * wordsPerBlock < kWords; b++) {
          FloatVector d0 = FloatVector.zero(FLOATS);
          FloatVector d1 = d0;
          FloatVector d2 = d0;
          FloatVector d3 = d0;
          int kkEnd = Math.min(kWords, (b + 1) * wordsPerBlock);
          for (int kk = b * wordsPerBlock; kk < kkEnd; kk++) {
            int at = wordsOffset + (panel * kWords + kk) * PANEL + pass;
            IntVector w0 = FloatVector.fromArray(FLOATS, words, at).reinterpretAsInts();
            IntVector w1 = FloatVector.fromArray(FLOATS, words, at + LANES).reinterpretAsInts();
            IntVector w2 = FloatVector.fromArray(FLOATS, words, at + 2 * LANES).reinterpretAsInts();
            IntVector w3 = FloatVector.fromArray(FLOATS, words, at + 3 * LANES).reinterpretAsInts();
            int aAt = aOffset + kk * perWord;
            // Counted, not a branch on bits: with one body per width, the width a JVM met second
            // deoptimized the kernel into slower code (8 bits at a fifth of its speed).
            for (int j = 0; j < perWord; j++) {
              FloatVector av = FloatVector.broadcast(FLOATS, a[aAt + j]);
              int shift = j * bits;
              d0 = values(w0, shift, mask).fma(av, d0);
              d1 = values(w1, shift, mask).fma(av, d1);
              d2 = values(w2, shift, mask).fma(av, d2);
              d3 = values(w3, shift, mask).fma(av, d3);
            }
          }
          int table = (panel * blocks + b) * PANEL + pass;
          FloatVector minusSum = FloatVector.broadcast(FLOATS, -blockSums[b]);
          int z = zeroPointsOffset + table;
          d0 = zeros(zeroPoints, z, defaultZeros).fma(minusSum, d0);
          d1 = zeros(zeroPoints, z + LANES, defaultZeros).fma(minusSum, d1);
          d2 = zeros(zeroPoints, z + 2 * LANES, defaultZeros).fma(minusSum, d2);
          d3 = zeros(zeroPoints, z + 3 * LANES, defaultZeros).fma(minusSum, d3);
          int s = scalesOffset + table;
          s0 = d0.fma(FloatVector.fromArray(FLOATS, scales, s), s0);
          s1 = d1.fma(FloatVector.fromArray(FLOATS, scales, s + LANES), s1);
          s2 = d2.fma(FloatVector.fromArray(FLOATS, scales, s + 2 * LANES), s2);
          s3 = d3.fma(FloatVector.fromArray(FLOATS, scales, s + 3 * LANES), s3);
        }
        for (int t = 0; t < tailLength; t++) {
          FloatVector av = FloatVector.broadcast(FLOATS, a[aOffset + packed + t]);
          int at = tailOffset + (panel * tailLength + t) * PANEL + pass;
          s0 = FloatVector.fromArray(FLOATS, tail, at).fma(av, s0);
          s1 = FloatVector.fromArray(FLOATS, tail, at + LANES).fma(av, s1);
          s2 = FloatVector.fromArray(FLOATS, tail, at + 2 * LANES).fma(av, s2);
          s3 = FloatVector.fromArray(FLOATS, tail, at + 3 * LANES).fma(av, s3);
        }
        int column = panel * PANEL + pass;
        store(s0, column, bias, biasOffset, y, yOffset);
        store(s1, column + LANES, bias, biasOffset, y, yOffset);
        store(s2, column + 2 * LANES, bias, biasOffset, y, yOffset);
        store(s3, column + 3 * LANES, bias, biasOffset, y, yOffset);
      }
    }
  }

  private static FloatVector values(IntVector words, int shift, int mask) {
    return (FloatVector)
        words.lanewise(VectorOperators.LSHR, shift).and(mask).convert(VectorOperators.I2F, 0);
  }

  private static FloatVector zeros(float[] zeroPoints, int at, FloatVector defaultZeros) {
    return zeroPoints == null ? defaultZeros : FloatVector.fromArray(FLOATS, zeroPoints, at);
  }

  /** Columns {@code [column, column + LANES)} of y, less those past N (the panel's padding). */
  private void store(
      FloatVector sum, int column, float[] bias, int biasOffset, float[] y, int yOffset) {
    if (column + LANES <= n) {
      if (bias != null) {
        sum = sum.add(FloatVector.fromArray(FLOATS, bias, biasOffset + column));
      }
      sum.intoArray(y, yOffset + column);
      return;
    }
    for (int l = 0; column + l < n; l++) {
      y[yOffset + column + l] = sum.lane(l) + (bias == null ? 0 : bias[biasOffset + column + l]);
    }
  }

  /**
   * Column {@code column} dequantized, (q − z)·s, into {@code weights[0, k)}, for a GEMM to reuse
   * over its rows (read a word at a time across the interleaved panel).
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
    int perWord = valuesPerWord();
    int kWords = kWords();
    int mask = (1 << bits) - 1;
    int wordsPerBlock = blockSize / perWord;
    for (int kk = 0; kk < kWords; kk++) {
      int block = blockIndex(column, kk / wordsPerBlock);
      float scale = scales[scalesOffset + block];
      float zero = zeroPoints == null ? defaultZero : zeroPoints[zeroPointsOffset + block];
      int word = Float.floatToRawIntBits(words[wordsOffset + wordIndex(column, kk)]);
      for (int j = 0; j < perWord; j++) {
        weights[kk * perWord + j] = (((word >>> (j * bits)) & mask) - zero) * scale;
      }
    }
    for (int t = 0; t < tail(); t++) {
      weights[packedValues() + t] = tail[tailOffset + tailIndex(column, t)];
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
