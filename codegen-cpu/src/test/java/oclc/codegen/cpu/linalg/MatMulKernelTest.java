package oclc.codegen.cpu.linalg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class MatMulKernelTest {
  private static WorkerPool one;
  private static WorkerPool two;

  @BeforeAll
  static void pools() {
    one = new WorkerPool(1);
    two = new WorkerPool(2);
  }

  @AfterAll
  static void closePools() {
    one.close();
    two.close();
  }

  /**
   * One launch's operands in big arrays at offsets, with gaps (lda > k, ldc > n) that must stay
   * untouched.
   */
  private record Case(int rows, int k, int n, int lda, int ldc, boolean bias, long seed) {
    /**
     * Runs both kinds on one thread and on two, each into freshly poisoned C, against one
     * reference.
     */
    void check() {
      Random random = new Random(seed);
      int aOffset = random.nextInt(5);
      int bOffset = random.nextInt(5);
      int biasOffset = random.nextInt(5);
      int cOffset = random.nextInt(5);
      float[] a = randoms(random, aOffset + Math.max(0, rows * lda) + 3);
      float[] b = randoms(random, k * n);
      float[] biasValues = bias ? randoms(random, biasOffset + n + 2) : null;
      float[] packed = new float[bOffset + PackedMatrix.packedLength(k, n) + 7];
      Arrays.fill(packed, Float.NaN);
      PackedMatrix.pack(b, 0, k, n, packed, bOffset);
      double[] expected = new double[rows * n];
      double[] magnitude = new double[rows * n];
      for (int row = 0; row < rows; row++) {
        for (int column = 0; column < n; column++) {
          double sum = bias ? biasValues[biasOffset + column] : 0;
          double size = Math.abs(sum);
          for (int kk = 0; kk < k; kk++) {
            double term = (double) a[aOffset + row * lda + kk] * b[kk * n + column];
            sum += term;
            size += Math.abs(term);
          }
          expected[row * n + column] = sum;
          magnitude[row * n + column] = size;
        }
      }
      float[] c = new float[cOffset + rows * ldc + 3];
      for (MatMulKernel.Kind kind : MatMulKernel.Kind.values()) {
        for (WorkerPool pool : new WorkerPool[] {one, two}) {
          Arrays.fill(c, Float.NaN);
          MatMulKernel kernel = MatMulKernel.create(kind, k, n, bias);
          kernel.bind(
              a, aOffset, lda, rows, packed, bOffset, biasValues, biasOffset, c, cOffset, ldc);
          kernel.run(pool);
          assertEquals(2L * rows * k * n, kernel.flops());
          compare(kind + " threads=" + pool.threads(), c, cOffset, expected, magnitude);
        }
      }
    }

    private void compare(
        String run, float[] c, int cOffset, double[] expected, double[] magnitude) {
      double errorSquares = 0;
      double referenceSquares = 0;
      for (int i = 0; i < c.length; i++) {
        int row = (i - cOffset) / ldc;
        int column = (i - cOffset) % ldc;
        if (i < cOffset || row >= rows || column >= n) {
          assertTrue(Float.isNaN(c[i]), this + " " + run + ": wrote c[" + i + "] outside C");
          continue;
        }
        double want = expected[row * n + column];
        if (!(Math.abs(c[i] - want) <= 1e-5 * magnitude[row * n + column] + 1e-30)) {
          fail(
              this
                  + " "
                  + run
                  + ": C["
                  + row
                  + "]["
                  + column
                  + "] = "
                  + c[i]
                  + ", expected "
                  + want);
        }
        errorSquares += (c[i] - want) * (c[i] - want);
        referenceSquares += want * want;
      }
      assertTrue(
          errorSquares <= 1e-10 * referenceSquares,
          this + " " + run + ": relative L2 " + Math.sqrt(errorSquares / referenceSquares));
    }
  }

  static float[] randoms(Random random, int length) {
    float[] values = new float[length];
    for (int i = 0; i < length; i++) {
      values[i] = (float) (random.nextGaussian());
    }
    return values;
  }

  private static void checkBoth(Case shape) {
    shape.check();
  }

  @Test
  void everyKindMatchesADoublePrecisionDotProductOverOddShapes() {
    int[] rowCounts = {1, 2, 3, 5, 6, 7, 8, 10, 13, 49, 50};
    int[] ks = {1, 3, 16, 17, 70};
    int[] ns = {1, 5, 16, 17, 63, 64, 65, 100, 130};
    long seed = 1;
    for (int rows : rowCounts) {
      for (int k : ks) {
        for (int n : ns) {
          boolean bias = (seed & 1) == 0;
          int lda = k + (int) (seed % 3);
          int ldc = n + (int) (seed % 4);
          checkBoth(new Case(rows, k, n, lda, ldc, bias, seed++));
        }
      }
    }
  }

  @Test
  void gpt2SizedShapesMatch() {
    checkBoth(new Case(1, 768, 768, 768, 768, true, 11));
    checkBoth(new Case(1, 768, 2304, 768, 2304, true, 12));
    checkBoth(new Case(3, 3072, 130, 3072, 130, false, 13));
    checkBoth(new Case(97, 768, 200, 800, 210, true, 14));
    checkBoth(new Case(90, 3072, 70, 3072, 70, true, 15));
    checkBoth(new Case(200, 17, 65, 19, 66, false, 16));
  }

  @Test
  void zeroRowsWritesNothingAndZeroKGivesTheBias() {
    checkBoth(new Case(0, 17, 33, 17, 33, true, 21));
    checkBoth(new Case(4, 0, 33, 0, 40, true, 22));
    checkBoth(new Case(4, 0, 33, 0, 33, false, 23));
  }

  @Test
  void aKernelRunsAgainAfterRebindingOtherOperands() {
    MatMulKernel kernel = MatMulKernel.create(MatMulKernel.Kind.GEMM, 20, 70, false);
    Random random = new Random(5);
    float[] packed = new float[PackedMatrix.packedLength(20, 70)];
    float[] b = randoms(random, 20 * 70);
    PackedMatrix.pack(b, 0, 20, 70, packed, 0);
    for (int rows : new int[] {9, 1, 30}) {
      float[] a = randoms(random, rows * 20);
      float[] c = new float[rows * 70];
      Arrays.fill(c, Float.NaN);
      kernel.bind(a, 0, 20, rows, packed, 0, null, 0, c, 0, 70);
      kernel.run(two);
      for (int i = 0; i < c.length; i++) {
        double sum = 0;
        for (int kk = 0; kk < 20; kk++) {
          sum += (double) a[(i / 70) * 20 + kk] * b[kk * 70 + i % 70];
        }
        assertEquals(sum, c[i], 1e-4, "rows=" + rows + " element " + i);
      }
    }
  }

  @Test
  void badOperandsAreRefusedWithWhatIsWrong() {
    MatMulKernel kernel = MatMulKernel.create(MatMulKernel.Kind.GEMV, 8, 10, true);
    float[] packed = new float[PackedMatrix.packedLength(8, 10)];
    float[] bias = new float[10];
    IllegalArgumentException lda =
        assertThrows(
            IllegalArgumentException.class,
            () -> kernel.bind(new float[16], 0, 7, 2, packed, 0, bias, 0, new float[20], 0, 10));
    assertTrue(lda.getMessage().contains("lda 7"), lda.getMessage());
    IndexOutOfBoundsException shortC =
        assertThrows(
            IndexOutOfBoundsException.class,
            () -> kernel.bind(new float[16], 0, 8, 2, packed, 0, bias, 0, new float[19], 0, 10));
    assertTrue(shortC.getMessage().startsWith("c:"), shortC.getMessage());
    assertThrows(
        IndexOutOfBoundsException.class,
        () -> kernel.bind(new float[16], 0, 8, 2, new float[10], 0, bias, 0, new float[20], 0, 10));
    assertThrows(
        NullPointerException.class,
        () -> kernel.bind(new float[16], 0, 8, 2, packed, 0, null, 0, new float[20], 0, 10));
    IllegalStateException unbound =
        assertThrows(
            IllegalStateException.class,
            () -> MatMulKernel.create(MatMulKernel.Kind.GEMM, 8, 10, false).run(one));
    assertTrue(unbound.getMessage().contains("before bind"), unbound.getMessage());
  }
}
