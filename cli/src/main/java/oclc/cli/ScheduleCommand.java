package oclc.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import oclc.artifact.Artifact;
import oclc.compiler.ScheduleFiles;
import oclc.ir.OclcException;
import oclc.lowering.Schedule;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code oclc schedule [X.oclc] [--device cpu|gpu]}: the kernel families' choices per size class
 * (tile sizes, sums, columns per work-item, group sizes, and the classes themselves) as JSON — the
 * artifact's, or a device type's defaults — to edit and give back to {@code oclc compile
 * --schedule}.
 */
@Command(
    name = "schedule",
    description =
        "Print the schedule an artifact was compiled with (or, without one, a device type's defaults) as JSON.")
final class ScheduleCommand extends PrintingCommand {
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

  @Override
  int run(PrintWriter out, PrintWriter err) throws IOException {
    if (artifact == null) {
      out.print(ScheduleFiles.json(Schedule.defaults(ScheduleFiles.target(device))));
    } else if (!Artifact.isArtifact(artifact)) {
      throw new OclcException(artifact + " is not an oclc artifact (no manifest.json)");
    } else {
      out.print(Files.readString(artifact.resolve(Artifact.SCHEDULE)));
    }
    return 0;
  }
}
