package oclc.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import oclc.artifact.Manifest;
import oclc.compiler.DeviceChoice;
import oclc.compiler.DeviceModel;
import oclc.compiler.LoadedModel;
import oclc.compiler.conformance.TestDataSet;
import oclc.ir.OclcException;
import oclc.ir.Tensor;
import oclc.ir.exec.Comparison;
import oclc.ir.exec.ReferenceExecutor;
import oclc.runtime.Session;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code oclc run}: one test data set through the model, each output compared with the expected
 * one.
 */
@Command(
    name = "run",
    description =
        "Run a model or a compiled artifact on a test data set and print each output's relative L2 error.")
final class RunCommand extends PrintingCommand {
  /** Relative L2 error allowed for float outputs; integer and bool outputs must match exactly. */
  static final double FLOAT_TOLERANCE = 1e-4;

  @Mixin ModelParameter.OnnxOrArtifact model;

  @Mixin DeviceOption device;

  @Mixin DeviceModelOptions loading;

  @Mixin WeightsOption weights;

  @Option(
      names = "--data",
      required = true,
      paramLabel = "DIR",
      description = "a test_data_set_N folder")
  Path data;

  @Option(
      names = "--profile",
      description = "time every launch on the device; print a table per node and per op")
  boolean profile;

  @Option(
      names = "--trace",
      description = "print every kernel launch: node, variant, shape, global/local size, time")
  boolean trace;

  @Option(
      names = "--profile-svg",
      paramLabel = "FILE",
      description = "draw the launches on a time axis into an SVG file")
  Path profileSvg;

  @Override
  int run(PrintWriter out, PrintWriter err) {
    String deviceSpec = device.toRun(model.path);
    if (deviceSpec.equals(DeviceChoice.REFERENCE)) {
      if (profile || trace || profileSvg != null) {
        throw new OclcException(
            "--profile, --trace and --profile-svg time kernel launches; the reference executor has none");
      }
      LoadedModel loaded = LoadedModel.load(model.path, weights.rewrite(model.path, err));
      TestDataSet set = TestDataSet.read(data, loaded.simplified());
      long start = System.nanoTime();
      Map<String, Tensor> actual = new ReferenceExecutor().run(loaded.simplified(), set.inputs());
      return report(
          out,
          set,
          actual,
          loaded.file().toString(),
          deviceSpec,
          (System.nanoTime() - start) / 1e6);
    }
    try (DeviceModel loaded = loading.open(model.path, deviceSpec, err, weights);
        Session session = loaded.executable().newSession()) {
      Manifest manifest = loaded.executable().manifest();
      TestDataSet set =
          TestDataSet.read(
              data,
              manifest.inputs().stream().map(Manifest.TensorSpec::name).toList(),
              manifest.outputs().stream().map(Manifest.TensorSpec::name).toList());
      set.inputs().forEach(session::bind);
      session.profile(profile || trace || profileSvg != null);
      var plan = session.plan();
      long start = System.nanoTime();
      session.run();
      double millis = (System.nanoTime() - start) / 1e6;
      loaded.executable().paramsCheck().await(); // no result from damaged weights
      Map<String, Tensor> actual = new LinkedHashMap<>();
      manifest.outputs().forEach(o -> actual.put(o.name(), session.output(o.name())));
      if (trace) {
        LaunchReport.trace(out, plan, session.timings());
      }
      if (profile) {
        LaunchReport.profile(out, session.timings());
      }
      if (profileSvg != null) {
        writeProfile(profileSvg, model.path + " on " + loaded.deviceName(), session.timings());
        out.println("profile drawn in " + profileSvg);
      }
      return report(out, set, actual, model.path.toString(), loaded.deviceName(), millis);
    }
  }

  private static void writeProfile(
      Path file, String title, java.util.List<oclc.runtime.LaunchTiming> timings) {
    try {
      java.nio.file.Files.writeString(file, ProfilePicture.svg(title, timings));
    } catch (java.io.IOException e) {
      throw new OclcException("cannot write " + file + ": " + e.getMessage(), e);
    }
  }

  private static int report(
      PrintWriter out,
      TestDataSet set,
      Map<String, Tensor> actual,
      String what,
      String device,
      double millis) {
    boolean allOk = true;
    for (var expected : set.expectedOutputs().entrySet()) {
      Tensor result = actual.get(expected.getKey());
      String verdict;
      if (expected.getValue().dtype().isFloat()) {
        double error = Comparison.relativeL2(expected.getValue(), result);
        boolean ok = error <= FLOAT_TOLERANCE;
        allOk &= ok;
        verdict =
            String.format(
                "relative L2 error %.3e  %s", error, ok ? "ok" : "ABOVE " + FLOAT_TOLERANCE);
      } else {
        var mismatch = Comparison.allClose(expected.getValue(), result, 0, 0);
        allOk &= mismatch.isEmpty();
        verdict = mismatch.map(m -> "MISMATCH: " + m).orElse("exact  ok");
      }
      out.printf("%-24s %s%n", expected.getKey(), verdict);
    }
    out.printf("%s on %s in %.1f ms: %s%n", what, device, millis, allOk ? "ok" : "FAILED");
    out.flush();
    return allOk ? 0 : 1;
  }
}
