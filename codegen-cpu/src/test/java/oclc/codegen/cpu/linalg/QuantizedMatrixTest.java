package oclc.codegen.cpu.linalg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The column-interleaved layout's GEMV and column dequantization against (q − z)·s summed in double
 * from the unpacked values: 4 and 8 bits, N under, at and past a panel, K with a short last block
 * and a float tail, zero points and the default, bias, offsets into the arrays.
 */
class QuantizedMatrixTest {
  private static final int OFFSET = 3;

  @Test
  void gemvAndDequantizedColumnsMatchTheValues() {
    Random random = new Random(5);
    for (int bits : new int[] {4, 8}) {
      for (int[] shape : new int[][] {{32, 6}, {45, 13}, {64, 64}, {100, 70}, {131, 129}}) {
        for (int blockSize : new int[] {16, 32, 64}) {
          for (boolean zeroPoints : new boolean[] {false, true}) {
            check(random, bits, shape[0], shape[1], blockSize, zeroPoints, !zeroPoints);
          }
        }
      }
    }
  }

  private static void check(
      Random random, int bits, int k, int n, int blockSize, boolean withZeros, boolean withBias) {
    QuantizedMatrix matrix = new QuantizedMatrix(bits, k, n, blockSize);
    String what = bits + " bits, K " + k + ", N " + n + ", block " + blockSize;
    int blocks = matrix.blocks();
    int[][] q = new int[n][k];
    float[][] s = new float[n][blocks];
    float[][] z = new float[n][blocks];
    float defaultZero = 1 << (bits - 1);
    int[] words = new int[matrix.wordCount()];
    float[] scales = poisoned(OFFSET + matrix.blockTableSize());
    float[] zeros = poisoned(OFFSET + matrix.blockTableSize());
    float[] tail = poisoned(OFFSET + matrix.tailTableSize());
    Arrays.fill(scales, OFFSET, scales.length, 0);
    Arrays.fill(zeros, OFFSET, zeros.length, 0);
    Arrays.fill(tail, OFFSET, tail.length, 0);
    for (int c = 0; c < n; c++) {
      for (int p = 0; p < k; p++) {
        q[c][p] = random.nextInt(1 << bits);
      }
      for (int b = 0; b < blocks; b++) {
        s[c][b] = 0.01f + random.nextFloat() * 0.02f;
        z[c][b] = withZeros ? random.nextInt(1 << bits) : defaultZero;
        scales[OFFSET + matrix.blockIndex(c, b)] = s[c][b];
        zeros[OFFSET + matrix.blockIndex(c, b)] = z[c][b];
      }
      matrix.packColumn(c, q[c], words);
      for (int t = 0; t < matrix.tail(); t++) {
        int p = matrix.packedValues() + t;
        tail[OFFSET + matrix.tailIndex(c, t)] = weight(q, s, z, c, p, blockSize);
      }
    }
    float[] wordFloats = new float[OFFSET + words.length];
    for (int i = 0; i < words.length; i++) {
      wordFloats[OFFSET + i] = Float.intBitsToFloat(words[i]);
    }
    float[] a = new float[OFFSET + k];
    for (int p = 0; p < k; p++) {
      a[OFFSET + p] = (float) random.nextGaussian();
    }
    float[] bias = new float[OFFSET + n];
    for (int c = 0; c < n; c++) {
      bias[OFFSET + c] = (float) random.nextGaussian();
    }
    float[] sums = new float[blocks];
    matrix.blockSums(a, OFFSET, sums);
    float[] y = poisoned(OFFSET + n + OFFSET);
    matrix.gemv(
        a,
        OFFSET,
        sums,
        wordFloats,
        OFFSET,
        scales,
        OFFSET,
        withZeros ? zeros : null,
        OFFSET,
        defaultZero,
        tail,
        OFFSET,
        withBias ? bias : null,
        OFFSET,
        y,
        OFFSET,
        0,
        matrix.panels());
    assertTrue(Float.isNaN(y[OFFSET - 1]) && Float.isNaN(y[OFFSET + n]), what + ": wrote past y");
    double error = 0;
    double norm = 0;
    float[] column = new float[k];
    for (int c = 0; c < n; c++) {
      double expected = withBias ? bias[OFFSET + c] : 0;
      Arrays.fill(column, Float.NaN);
      matrix.dequantizeColumn(
          c,
          wordFloats,
          OFFSET,
          scales,
          OFFSET,
          withZeros ? zeros : null,
          OFFSET,
          defaultZero,
          tail,
          OFFSET,
          column);
      for (int p = 0; p < k; p++) {
        float w = weight(q, s, z, c, p, blockSize);
        assertEquals(w, column[p], 1e-6f, what + ": column " + c + " value " + p);
        expected += (double) a[OFFSET + p] * w;
      }
      error += (y[OFFSET + c] - expected) * (y[OFFSET + c] - expected);
      norm += expected * expected;
    }
    assertTrue(Math.sqrt(error / norm) <= 1e-5, what + ": relative L2 " + Math.sqrt(error / norm));
  }

  private static float weight(int[][] q, float[][] s, float[][] z, int c, int p, int blockSize) {
    return (q[c][p] - z[c][p / blockSize]) * s[c][p / blockSize];
  }

  private static float[] poisoned(int length) {
    float[] array = new float[length];
    Arrays.fill(array, Float.NaN);
    return array;
  }
}
