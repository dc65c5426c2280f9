package oclc.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import oclc.ir.Tensor;
import oclc.ir.exec.Comparison;
import oclc.ir.exec.ReferenceExecutor;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code oclc run}: one test data set through the model, each output compared with the expected one. */
@Command(name = "run", mixinStandardHelpOptions = true,
    description = "Run a model on a test data set and print each output's relative L2 error.")
final class RunCommand implements Callable<Integer> {
  /** Relative L2 error allowed for float outputs; integer and bool outputs must match exactly. */
  static final double FLOAT_TOLERANCE = 1e-4;

  @Parameters(index = "0", paramLabel = "MODEL", description = "an .onnx file")
  Path model;

  @Option(names = "--device", defaultValue = "reference", description = "reference (default)")
  String device;

  @Option(names = "--data", required = true, paramLabel = "DIR", description = "a test_data_set_N folder")
  Path data;

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    DeviceOption.requireReference(device);
    LoadedModel loaded = LoadedModel.load(model);
    TestDataSet set = TestDataSet.read(data, loaded.simplified());
    long start = System.nanoTime();
    Map<String, Tensor> actual = new ReferenceExecutor().run(loaded.simplified(), set.inputs());
    double millis = (System.nanoTime() - start) / 1e6;
    PrintWriter out = spec.commandLine().getOut();
    boolean allOk = true;
    for (var expected : set.expectedOutputs().entrySet()) {
      Tensor result = actual.get(expected.getKey());
      String verdict;
      if (expected.getValue().dtype().isFloat()) {
        double error = Comparison.relativeL2(expected.getValue(), result);
        boolean ok = error <= FLOAT_TOLERANCE;
        allOk &= ok;
        verdict = String.format("relative L2 error %.3e  %s", error, ok ? "ok" : "ABOVE " + FLOAT_TOLERANCE);
      } else {
        var mismatch = Comparison.allClose(expected.getValue(), result, 0, 0);
        allOk &= mismatch.isEmpty();
        verdict = mismatch.map(m -> "MISMATCH: " + m).orElse("exact  ok");
      }
      out.printf("%-24s %s%n", expected.getKey(), verdict);
    }
    out.printf("%s on %s in %.1f ms: %s%n", loaded.file(), device, millis, allOk ? "ok" : "FAILED");
    out.flush();
    return allOk ? 0 : 1;
  }
}
