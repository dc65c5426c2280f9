package oclc.bench.linalg;

import java.util.Map;
import java.util.Random;
import oclc.bench.ShortRuns;
import oclc.bench.kernels.KernelWork;
import oclc.codegen.cpu.linalg.QuantizedMatrix;
import oclc.codegen.cpu.linalg.WorkerPool;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Decode's product over block-quantized weights ({@link QuantizedMatrix#gemv}, the Java kernel of
 * MatMulNBits for one row) at GPT-2 small's MLP-up (768x3072) and LM-head (768x50257) shapes, 4 and
 * 8 bits, over the pool by ranges of column panels as the kernel splits them. The launches rotate
 * over enough copies of the weights ({@code weightsMb} in all) that each reads its weights from
 * memory. {@code JmhBench} reports GB/s of packed bytes (N·K·bits/8, the weights' own size), to
 * compare with {@code CeilingsBenchmark.memoryRead}; the scales (4 bytes per block, here without
 * zero points) come on top.
 */
public class QuantizedGemvBenchmark extends ShortRuns {
  @Param({"768x3072", "768x50257"})
  public String shape;

  @Param({"4", "8"})
  public int bits;

  @Param({"32"})
  public int blockSize;

  @Param({"0"})
  public int threads;

  @Param({"1024"})
  public int weightsMb;

  private WorkerPool pool;
  private QuantizedMatrix matrix;
  private float[][] words;
  private float[][] scales;
  private float[] blockSums;
  private float[] a;
  private float[] y;
  private int parts;
  private int current;
  private WorkerPool.Task part;

  @Setup(Level.Trial)
  public void setUp() {
    int k = VectorMatMulBenchmark.k(shape);
    int n = VectorMatMulBenchmark.n(shape);
    pool = new WorkerPool(threads > 0 ? threads : WorkerPool.defaultThreads());
    matrix = new QuantizedMatrix(bits, k, n, blockSize);
    if (matrix.tail() != 0) {
      throw new IllegalArgumentException("K must be a multiple of " + matrix.valuesPerWord());
    }
    Random random = new Random(1);
    long packedBytes = (long) n * k * bits / 8;
    int copies = (int) Math.max(1, Math.min(4096, weightsMb * (1L << 20) / packedBytes));
    words = new float[copies][];
    scales = new float[copies][];
    blockSums = new float[matrix.blocks()];
    for (int c = 0; c < copies; c++) {
      float[] packed = new float[matrix.wordCount()];
      for (int i = 0; i < packed.length; i++) {
        packed[i] = Float.intBitsToFloat(random.nextInt() & 0x7f7f7f7f);
      }
      words[c] = packed;
      scales[c] = new float[matrix.blockTableSize()];
      for (int i = 0; i < scales[c].length; i++) {
        scales[c][i] = 0.01f + random.nextFloat() * 0.01f;
      }
    }
    a = new float[k];
    for (int i = 0; i < k; i++) {
      a[i] = (float) random.nextGaussian();
    }
    y = new float[n];
    parts = Math.min(matrix.panels(), pool.threads() * 4);
    part = this::part;
  }

  @Benchmark
  public void launch() {
    matrix.blockSums(a, 0, blockSums);
    pool.forEach(parts, part);
    current = current + 1 == words.length ? 0 : current + 1;
  }

  private void part(int index) {
    int panels = matrix.panels();
    matrix.gemv(
        a,
        0,
        blockSums,
        words[current],
        0,
        scales[current],
        0,
        null,
        0,
        1 << (bits - 1),
        null,
        0,
        null,
        0,
        y,
        0,
        (int) ((long) panels * index / parts),
        (int) ((long) panels * (index + 1) / parts));
  }

  @TearDown(Level.Trial)
  public void close() {
    pool.close();
  }

  /** 2·N·K flops; bytes: the packed weights alone, N·K·bits/8. */
  public static KernelWork work(Map<String, String> params) {
    long k = VectorMatMulBenchmark.k(params.get("shape"));
    long n = VectorMatMulBenchmark.n(params.get("shape"));
    long bits = Long.parseLong(params.get("bits"));
    return new KernelWork(2 * n * k, n * k * bits / 8);
  }
}
