package oclc.bench.linalg;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import oclc.bench.kernels.KernelWork;
import oclc.codegen.cpu.linalg.PackedMatrix;
import org.junit.jupiter.api.Test;

/**
 * The Vector API benchmarks set up and launch, and their work models count what a launch does;
 * nothing is timed.
 */
class LinalgBenchmarksTest {
  @Test
  void theMatMulBenchmarkLaunchesAndCountsFlopsAndWeightBytes() {
    VectorMatMulBenchmark benchmark = new VectorMatMulBenchmark();
    benchmark.shape = "70x130";
    benchmark.rows = 9;
    benchmark.kind = "auto";
    benchmark.threads = 2;
    benchmark.weightsMb = 1;
    benchmark.setUp();
    for (int i = 0; i < 30; i++) {
      benchmark.launch();
    }
    benchmark.close();
    assertEquals(
        new KernelWork(
            2L * 9 * 70 * 130, 4L * PackedMatrix.packedLength(70, 130) + 4L * (9 * 70 + 9 * 130)),
        VectorMatMulBenchmark.work(Map.of("shape", "70x130", "rows", "9")));
  }

  @Test
  void theCeilingsCountBytesReadAndFlopsPerThread() {
    assertEquals(
        4L * CeilingsBenchmark.READ_FLOATS,
        CeilingsBenchmark.work("oclc.bench.linalg.CeilingsBenchmark.memoryRead", Map.of()).bytes());
    assertEquals(
        2L
            * CeilingsBenchmark.FMA_TRIPS
            * CeilingsBenchmark.FMA_CHAINS
            * 2
            * CeilingsBenchmark.SPECIES.length(),
        CeilingsBenchmark.work(
                "oclc.bench.linalg.CeilingsBenchmark.fmaPeak", Map.of("threads", "2"))
            .flops());
  }

  @Test
  void thePoolBenchmarkLaunches() {
    WorkerPoolBenchmark benchmark = new WorkerPoolBenchmark();
    benchmark.threads = 2;
    benchmark.indices = 24;
    benchmark.start();
    for (int i = 0; i < 1000; i++) {
      benchmark.emptyLaunch();
    }
    benchmark.close();
  }
}
