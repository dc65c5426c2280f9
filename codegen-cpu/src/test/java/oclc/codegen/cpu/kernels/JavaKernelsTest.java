package oclc.codegen.cpu.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.MemorySegment;
import java.util.List;
import java.util.Map;
import java.util.Random;
import oclc.codegen.cpu.JavaKernelSpec;
import oclc.codegen.cpu.linalg.WorkerPool;
import oclc.ir.Attribute;
import oclc.ir.Attributes;
import oclc.ir.DType;
import oclc.ir.EvaluationContext;
import oclc.ir.Node;
import oclc.ir.OpRegistry;
import oclc.ir.Tensor;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * The row, product, copy and gather kernels against plain loops (the elementwise kernels are
 * checked against their ops' reference evaluations in {@link ElementwiseKernelsTest}), on random
 * data at sizes that split over three threads (and tails that are no multiple of the vector
 * length), with NaN-poisoned outputs: every element must be written, by the right part.
 */
class JavaKernelsTest {
  private static final WorkerPool POOL = new WorkerPool(3);
  private final Random random = new Random(7);

  @AfterAll
  static void close() {
    POOL.close();
  }

  private float[] randomFloats(int n) {
    float[] a = new float[n];
    for (int i = 0; i < n; i++) {
      a[i] = random.nextFloat() * 4 - 2;
    }
    return a;
  }

  private static float[] poisoned(int n) {
    float[] a = new float[n];
    java.util.Arrays.fill(a, Float.NaN);
    return a;
  }

  private static Operand operand(float[] array, long... shape) {
    return new Operand(
        "v",
        DType.FLOAT32,
        array,
        MemorySegment.ofArray(array),
        0,
        shape,
        oclc.ir.Tensor.rowMajorStrides(shape));
  }

  private static void assertNear(float[] expected, float[] actual, double tolerance) {
    assertEquals(expected.length, actual.length);
    for (int i = 0; i < expected.length; i++) {
      assertTrue(
          Math.abs(expected[i] - actual[i]) <= tolerance * (1 + Math.abs(expected[i])),
          "element " + i + ": expected " + expected[i] + ", got " + actual[i]);
    }
  }

  @Test
  void softmaxLayerNormAndReductionsOverRows() {
    int rows = 301;
    int length = 771;
    float[] x = randomFloats(rows * length);
    float[] softmax = poisoned(rows * length);
    CpuKernel k = JavaKernels.create(new JavaKernelSpec.Softmax(false), POOL, null);
    k.bind(new Operand[] {operand(x, rows, length), operand(softmax, rows, length)}, new long[0]);
    k.run();
    float[] scale = randomFloats(length);
    float[] bias = randomFloats(length);
    float[] normalized = poisoned(rows * length);
    k = JavaKernels.create(new JavaKernelSpec.LayerNorm(1, 1e-5f), POOL, null);
    k.bind(
        new Operand[] {
          operand(x, rows, length),
          operand(scale, length),
          operand(bias, length),
          operand(normalized, rows, length)
        },
        new long[0]);
    k.run();
    float[] means = poisoned(rows);
    k = JavaKernels.create(new JavaKernelSpec.Reduce("ReduceMean", 1), POOL, null);
    k.bind(new Operand[] {operand(x, rows, length), operand(means, rows, 1)}, new long[0]);
    k.run();
    float[] expectedSoftmax = new float[rows * length];
    float[] expectedNormalized = new float[rows * length];
    float[] expectedMeans = new float[rows];
    for (int r = 0; r < rows; r++) {
      double max = Double.NEGATIVE_INFINITY;
      double sum = 0;
      double mean = 0;
      for (int i = 0; i < length; i++) {
        max = Math.max(max, x[r * length + i]);
        mean += x[r * length + i];
      }
      mean /= length;
      double variance = 0;
      for (int i = 0; i < length; i++) {
        sum += Math.exp(x[r * length + i] - max);
        variance += (x[r * length + i] - mean) * (x[r * length + i] - mean);
      }
      variance /= length;
      for (int i = 0; i < length; i++) {
        expectedSoftmax[r * length + i] = (float) (Math.exp(x[r * length + i] - max) / sum);
        expectedNormalized[r * length + i] =
            (float) ((x[r * length + i] - mean) / Math.sqrt(variance + 1e-5) * scale[i] + bias[i]);
      }
      expectedMeans[r] = (float) mean;
    }
    assertNear(expectedSoftmax, softmax, 1e-5);
    assertNear(expectedNormalized, normalized, 1e-5);
    assertNear(expectedMeans, means, 1e-5);
  }

  @Test
  void rmsNormalizationMatchesTheReferenceOpOverTrailingAxes() {
    int rows = 301;
    int[] tail = {3, 257}; // the row spans two axes, a length no multiple of the vector width
    int length = tail[0] * tail[1];
    float[] x = randomFloats(rows * length);
    float[] scale = randomFloats(length);
    float[] normalized = poisoned(rows * length);
    CpuKernel k = JavaKernels.create(new JavaKernelSpec.RmsNorm(1, 1e-6f), POOL, null);
    k.bind(
        new Operand[] {
          operand(x, rows, tail[0], tail[1]),
          operand(scale, tail[0], tail[1]),
          operand(normalized, rows, tail[0], tail[1])
        },
        new long[0]);
    k.run();
    Node node =
        new Node(
            "rms",
            "",
            "RMSNormalization",
            List.of("x", "scale"),
            List.of("y"),
            new Attributes(
                Map.of(
                    "axis",
                    new Attribute.IntValue(1),
                    "epsilon",
                    new Attribute.FloatValue(1e-6f))));
    Tensor expected =
        OpRegistry.standard()
            .find("", "RMSNormalization")
            .orElseThrow()
            .evaluate(
                new EvaluationContext(
                    node,
                    23,
                    List.of(
                        Tensor.ofFloats(new long[] {rows, tail[0], tail[1]}, x),
                        Tensor.ofFloats(new long[] {tail[0], tail[1]}, scale))))
            .getFirst();
    assertNear(expected.toFloatArray(), normalized, 1e-5);
  }

  @Test
  void batchedProductsReadOperandsThroughStridesAndShareBroadcastBatches() {
    batchedProducts(6, 37, 45, 83); // tails along K and N
    batchedProducts(12, 1, 64, 513); // attention's decode step: q·Kᵀ over a cache of 513 keys
  }

  private void batchedProducts(int batches, int m, int k, int n) {
    float[] a = randomFloats(batches * m * k);
    // B transposed in place: [batches, k, n] read from a [batches, n, k] array with strides {n·k,
    // 1, k}.
    float[] bt = randomFloats(batches * n * k);
    Operand b =
        new Operand(
            "b",
            DType.FLOAT32,
            bt,
            MemorySegment.ofArray(bt),
            0,
            new long[] {batches, k, n},
            new long[] {(long) n * k, 1, k});
    float[] shared = randomFloats(k * n); // [1, k, n], one matrix for every batch
    for (boolean transposed : new boolean[] {true, false}) {
      float[] c = poisoned(batches * m * n);
      CpuKernel kernel = JavaKernels.create(new JavaKernelSpec.BatchedMatMul(), POOL, null);
      kernel.bind(
          new Operand[] {
            operand(a, batches, m, k),
            transposed ? b : operand(shared, 1, k, n),
            operand(c, batches, m, n)
          },
          new long[0]);
      kernel.run();
      float[] expected = new float[batches * m * n];
      for (int q = 0; q < batches; q++) {
        for (int i = 0; i < m; i++) {
          for (int j = 0; j < n; j++) {
            double s = 0;
            for (int p = 0; p < k; p++) {
              float bv = transposed ? bt[q * n * k + j * k + p] : shared[p * n + j];
              s += (double) a[(q * m + i) * k + p] * bv;
            }
            expected[(q * m + i) * n + j] = (float) s;
          }
        }
      }
      assertNear(expected, c, 1e-5);
    }
  }

  @Test
  void stridedCopiesTransposeAndGathersCopyRows() {
    int d0 = 13;
    int d1 = 170;
    int d2 = 29;
    float[] x = randomFloats(d0 * d1 * d2);
    float[] y = poisoned(d0 * d1 * d2);
    // Transpose [d0, d1, d2] -> [d2, d0, d1]: extents of the output, input strides, output strides.
    long[] scalars = {0, 0, d2, d0, d1, 1, (long) d1 * d2, d2, (long) d0 * d1, d1, 1};
    CpuKernel copy = JavaKernels.create(new JavaKernelSpec.StridedCopy(3), POOL, null);
    copy.bind(new Operand[] {operand(x, d0, d1, d2), operand(y, d2, d0, d1)}, scalars);
    copy.run();
    for (int i = 0; i < d0; i++) {
      for (int j = 0; j < d1; j++) {
        for (int l = 0; l < d2; l++) {
          assertEquals(x[(i * d1 + j) * d2 + l], y[(l * d0 + i) * d1 + j]);
        }
      }
    }
    long[] indices = {3, -1, 0, 12, 7};
    float[] idx = new float[indices.length * 2];
    MemorySegment segment = MemorySegment.ofArray(idx);
    for (int i = 0; i < indices.length; i++) {
      segment.setAtIndex(java.lang.foreign.ValueLayout.JAVA_LONG_UNALIGNED, i, indices[i]);
    }
    float[] gathered = poisoned(indices.length * d1 * d2);
    CpuKernel gather = JavaKernels.create(new JavaKernelSpec.Gather(0), POOL, null);
    gather.bind(
        new Operand[] {
          operand(x, d0, d1, d2),
          new Operand(
              "i", DType.INT64, idx, segment, 0, new long[] {indices.length}, new long[] {1}),
          operand(gathered, indices.length, d1, d2)
        },
        new long[0]);
    gather.run();
    for (int i = 0; i < indices.length; i++) {
      int row = (int) (indices[i] < 0 ? indices[i] + d0 : indices[i]);
      for (int e = 0; e < d1 * d2; e++) {
        assertEquals(x[row * d1 * d2 + e], gathered[i * d1 * d2 + e]);
      }
    }
  }

  private static Operand typedOperand(DType type, float[] array, long... shape) {
    return new Operand(
        "v",
        type,
        array,
        MemorySegment.ofArray(array),
        0,
        shape,
        oclc.ir.Tensor.rowMajorStrides(shape));
  }

  @Test
  void integerAddSubAndMulBroadcastAndWrapInTheirType() {
    int rows = 97;
    int columns = 531;
    long[] a = random.longs((long) rows * columns).toArray();
    long[] b = random.longs(columns, -1000, 1000).toArray();
    float[] aArray = new float[a.length * 2];
    float[] bArray = new float[b.length * 2];
    MemorySegment.ofArray(aArray).copyFrom(MemorySegment.ofArray(a));
    MemorySegment.ofArray(bArray).copyFrom(MemorySegment.ofArray(b));
    for (String op : List.of("Add", "Sub", "Mul")) {
      float[] out = poisoned(a.length * 2);
      CpuKernel k = JavaKernels.create(new JavaKernelSpec.Typed(op), POOL, null);
      k.bind(
          new Operand[] {
            typedOperand(DType.INT64, aArray, rows, columns),
            typedOperand(DType.INT64, bArray, 1, columns),
            typedOperand(DType.INT64, out, rows, columns)
          },
          new long[0]);
      k.run();
      long[] actual =
          MemorySegment.ofArray(out).toArray(java.lang.foreign.ValueLayout.JAVA_LONG_UNALIGNED);
      for (int i = 0; i < a.length; i++) {
        long p = a[i];
        long q = b[i % columns];
        long expected = op.equals("Add") ? p + q : op.equals("Sub") ? p - q : p * q;
        assertEquals(expected, actual[i], op + " element " + i);
      }
    }
  }

  @Test
  void theFillStoresTheValuesBitsAtEveryWidth() {
    int n = 40_001;
    float[] floats = poisoned(n);
    CpuKernel k = JavaKernels.create(new oclc.codegen.cpu.JavaFill.Spec(), POOL, null);
    k.bind(
        new Operand[] {typedOperand(DType.FLOAT32, floats, n)},
        new long[] {Float.floatToRawIntBits(-Float.MAX_VALUE), 0});
    k.run();
    for (int i = 0; i < n; i++) {
      assertEquals(-Float.MAX_VALUE, floats[i], "float element " + i);
    }
    float[] longs = poisoned(2 * n);
    k.bind(new Operand[] {typedOperand(DType.INT64, longs, n)}, new long[] {-5, 0});
    k.run();
    long[] longValues =
        MemorySegment.ofArray(longs).toArray(java.lang.foreign.ValueLayout.JAVA_LONG_UNALIGNED);
    for (int i = 0; i < n; i++) {
      assertEquals(-5, longValues[i], "int64 element " + i);
    }
    float[] bools = poisoned((n + 3) / 4);
    k.bind(new Operand[] {typedOperand(DType.BOOL, bools, n)}, new long[] {1, 0});
    k.run();
    byte[] boolValues =
        MemorySegment.ofArray(bools).toArray(java.lang.foreign.ValueLayout.JAVA_BYTE);
    for (int i = 0; i < n; i++) {
      assertEquals(1, boolValues[i], "bool element " + i);
    }
  }
}
