package oclc.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import oclc.artifact.Artifact;
import oclc.compiler.ScheduleFiles;
import oclc.ir.OclcException;
import oclc.lowering.Schedule;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code oclc schedule [X.oclc] [--device cpu|gpu]}: the kernel families' choices per size class
 * (tile sizes, sums, columns per work-item, group sizes, and the classes themselves) as JSON — the
 * artifact's, or a device type's defaults — to edit and give back to {@code oclc compile
 * --schedule}.
 */
@Command(
    name = "schedule",
    mixinStandardHelpOptions = true,
    description =
        "Print the schedule an artifact was compiled with (or, without one, a device type's defaults) as JSON.")
final class ScheduleCommand implements Callable<Integer> {
  @Parameters(
      index = "0",
      arity = "0..1",
      paramLabel = "X.oclc",
      description = "an artifact folder (default: the defaults)")
  Path artifact;

  @Option(
      names = "--device",
      paramLabel = "cpu|gpu|NAME",
      description =
          "whose defaults: a device type, or an OpenCL device (its type decides; default: cpu)")
  String device = "cpu";

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws IOException {
    PrintWriter out = spec.commandLine().getOut();
    if (artifact == null) {
      out.print(ScheduleFiles.json(Schedule.defaults(ScheduleFiles.target(device))));
    } else if (!Artifact.isArtifact(artifact)) {
      throw new OclcException(artifact + " is not an oclc artifact (no manifest.json)");
    } else {
      out.print(Files.readString(artifact.resolve(Artifact.SCHEDULE)));
    }
    out.flush();
    return 0;
  }
}
