package oclc.bench;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import oclc.bench.kernels.AttentionBenchmark;
import oclc.bench.kernels.GemmBenchmark;
import oclc.bench.kernels.KernelWork;
import oclc.bench.kernels.LaunchBenchmark;
import oclc.bench.kernels.LayerNormBenchmark;
import oclc.bench.kernels.PowBenchmark;
import oclc.bench.kernels.SoftmaxBenchmark;
import oclc.bench.linalg.CeilingsBenchmark;
import oclc.bench.linalg.QuantizedGemvBenchmark;
import oclc.bench.linalg.VectorMatMulBenchmark;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.CommandLineOptionException;
import org.openjdk.jmh.runner.options.CommandLineOptions;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/**
 * Runs the JMH benchmarks (any JMH option may be given: {@code -f 1 -i 5 Gemm}) and prints each
 * score as time per operation, and for a kernel GFLOP/s and GB/s and their share of this machine's
 * peaks ({@code -Doclc.bench.peakGflops}, {@code -Doclc.bench.peakGbps}: by default the ~370
 * GFLOP/s of fp32 FMA and ~39 GB/s of memory read measured on the 2-core development machine). When
 * the run includes {@link CeilingsBenchmark}, the peaks it measures are used instead.
 */
public final class JmhBench {
  private static final Map<String, Function<Map<String, String>, KernelWork>> WORK =
      Map.of(
          GemmBenchmark.class.getName(), GemmBenchmark::work,
          AttentionBenchmark.class.getName(), AttentionBenchmark::work,
          SoftmaxBenchmark.class.getName(), SoftmaxBenchmark::work,
          LayerNormBenchmark.class.getName(), LayerNormBenchmark::work,
          LaunchBenchmark.class.getName(), LaunchBenchmark::work,
          PowBenchmark.class.getName(), PowBenchmark::work,
          VectorMatMulBenchmark.class.getName(), VectorMatMulBenchmark::work,
          QuantizedGemvBenchmark.class.getName(), QuantizedGemvBenchmark::work);
  private static final String CEILINGS = CeilingsBenchmark.class.getName();

  private JmhBench() {}

  public static void main(String[] args) throws RunnerException, CommandLineOptionException {
    CommandLineOptions given = new CommandLineOptions(args);
    OptionsBuilder builder = new OptionsBuilder();
    if (given.getIncludes().isEmpty()) {
      builder.include(JmhBench.class.getPackageName().replace(".", "\\.") + "\\..*Benchmark");
    }
    Options options = builder.parent(given).build();
    Collection<RunResult> results = new Runner(options).run();
    System.out.print(
        table(
            results,
            Double.parseDouble(System.getProperty("oclc.bench.peakGflops", "370")),
            Double.parseDouble(System.getProperty("oclc.bench.peakGbps", "39"))));
  }

  static String table(Collection<RunResult> results, double peakGflops, double peakGbps) {
    StringBuilder out = new StringBuilder();
    for (RunResult run : results) {
      String method = run.getParams().getBenchmark();
      if (method.startsWith(CEILINGS + ".")) {
        Map<String, String> values = new LinkedHashMap<>();
        run.getParams().getParamsKeys().forEach(k -> values.put(k, run.getParams().getParam(k)));
        KernelWork work = CeilingsBenchmark.work(method, values);
        double micros = run.getPrimaryResult().getScore();
        if (work.flops() > 0) {
          peakGflops = work.flops() / (micros * 1e3);
        } else {
          peakGbps = work.bytes() / (micros * 1e3);
        }
      }
    }
    out.append(
        String.format(
            Locale.ROOT,
            "%npeaks: %.1f GFLOP/s fp32 FMA, %.1f GB/s memory read%n",
            peakGflops,
            peakGbps));
    out.append(
        String.format(
            Locale.ROOT,
            "%-44s %-34s %16s %18s %16s%n",
            "benchmark",
            "parameters",
            "us/op",
            "GFLOP/s (% peak)",
            "GB/s (% peak)"));
    for (RunResult run : results) {
      BenchmarkParams params = run.getParams();
      Map<String, String> values = new LinkedHashMap<>();
      params.getParamsKeys().forEach(k -> values.put(k, params.getParam(k)));
      String method = params.getBenchmark();
      String type = method.substring(0, method.lastIndexOf('.'));
      Result<?> score = run.getPrimaryResult();
      double micros = score.getScore();
      String name = method.substring(method.lastIndexOf('.', method.lastIndexOf('.') - 1) + 1);
      String parameters =
          values.entrySet().stream()
              .map(e -> e.getKey() + "=" + e.getValue())
              .collect(Collectors.joining(" "));
      out.append(
          String.format(
              Locale.ROOT,
              "%-44s %-34s %8.2f ± %5.2f",
              name,
              parameters,
              micros,
              score.getScoreError()));
      KernelWork work =
          type.equals(CEILINGS)
              ? CeilingsBenchmark.work(method, values)
              : WORK.containsKey(type) ? WORK.get(type).apply(values) : null;
      if (work != null) {
        double gflops = work.flops() / (micros * 1e3);
        double gbps = work.bytes() / (micros * 1e3);
        out.append(
            String.format(
                Locale.ROOT,
                " %8.2f (%5.1f%%) %7.2f (%5.1f%%)",
                gflops,
                100 * gflops / peakGflops,
                gbps,
                100 * gbps / peakGbps));
      }
      out.append(System.lineSeparator());
    }
    return out.toString();
  }
}
