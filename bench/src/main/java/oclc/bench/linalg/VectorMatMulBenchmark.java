package oclc.bench.linalg;

import java.util.Map;
import java.util.Random;
import oclc.bench.ShortRuns;
import oclc.bench.kernels.KernelWork;
import oclc.codegen.cpu.linalg.MatMulKernel;
import oclc.codegen.cpu.linalg.PackedMatrix;
import oclc.codegen.cpu.linalg.WorkerPool;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.TearDown;

/**
 * One {@link MatMulKernel} launch, {@code C = A · B + bias}, at GPT-2 small's weight shapes (K x N:
 * 768x768 attention projection, 768x2304 fused QKV, 768x3072 MLP up, 3072x768 MLP down, 768x50257
 * the LM head) for 1 row (decode: the GEMV) and 8, 128, 512 rows (prefill: the GEMM), on a pool of
 * {@code threads} (default: every core).
 *
 * <p>The launches rotate over enough copies of the packed weights ({@code weightsMb} in all, 1 GB
 * by default, beyond the caches) that every launch reads its weights from memory, as a decode step
 * does (GPT-2 small's 500 MB of weights pass once per token); {@code -p weightsMb=0} keeps one
 * copy, cache-warm for the smaller shapes.
 */
public class VectorMatMulBenchmark extends ShortRuns {
  @Param({"768x768", "768x2304", "768x3072", "3072x768", "768x50257"})
  public String shape;

  @Param({"1", "8", "128", "512"})
  public int rows;

  /** GEMV for one row, GEMM for more, unless named. */
  @Param({"auto"})
  public String kind;

  @Param({"0"})
  public int threads;

  @Param({"1024"})
  public int weightsMb;

  private WorkerPool pool;
  private MatMulKernel[] kernels;
  private int next;

  @Setup(Level.Trial)
  public void setUp() {
    int k = k(shape);
    int n = n(shape);
    MatMulKernel.Kind chosen =
        kind.equals("auto")
            ? (rows == 1 ? MatMulKernel.Kind.GEMV : MatMulKernel.Kind.GEMM)
            : MatMulKernel.Kind.valueOf(kind);
    pool = new WorkerPool(threads > 0 ? threads : WorkerPool.defaultThreads());
    Random random = new Random(1);
    int length = PackedMatrix.packedLength(k, n);
    int copies = (int) Math.max(1, Math.min(4096, weightsMb * (1L << 20) / (4L * length)));
    float[] weights = random(random, k * n);
    float[] a = random(random, rows * k);
    float[] bias = random(random, n);
    float[] c = new float[rows * n];
    kernels = new MatMulKernel[copies];
    for (int i = 0; i < copies; i++) {
      float[] packed = new float[length];
      PackedMatrix.pack(weights, 0, k, n, packed, 0);
      kernels[i] = MatMulKernel.create(chosen, k, n, true);
      kernels[i].bind(a, 0, k, rows, packed, 0, bias, 0, c, 0, n);
    }
  }

  @Benchmark
  public void launch() {
    kernels[next].run(pool);
    next = next + 1 == kernels.length ? 0 : next + 1;
  }

  @TearDown(Level.Trial)
  public void close() {
    pool.close();
  }

  private static float[] random(Random random, int length) {
    float[] values = new float[length];
    for (int i = 0; i < length; i++) {
      values[i] = (float) random.nextGaussian();
    }
    return values;
  }

  static int k(String shape) {
    return Integer.parseInt(shape.substring(0, shape.indexOf('x')));
  }

  static int n(String shape) {
    return Integer.parseInt(shape.substring(shape.indexOf('x') + 1));
  }

  /**
   * 2·M·N·K flops; the packed weights once (what a launch must read, the GEMV's floor) plus A and
   * C.
   */
  public static KernelWork work(Map<String, String> params) {
    long k = k(params.get("shape"));
    long n = n(params.get("shape"));
    long m = Long.parseLong(params.get("rows"));
    return new KernelWork(
        2 * m * n * k, 4L * PackedMatrix.packedLength((int) k, (int) n) + 4 * (m * k + m * n));
  }
}
