package oclc.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import oclc.artifact.Artifact;
import oclc.artifact.ArtifactJson;
import oclc.codegen.opencl.Schedule;
import oclc.ir.OclcException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code oclc schedule [X.oclc]}: the kernel families' choices per size class (tile sizes, sums,
 * columns per work-item, group sizes, and the classes themselves) as JSON — the artifact's, or the
 * defaults — to edit and give back to {@code oclc compile --schedule}.
 */
@Command(name = "schedule", mixinStandardHelpOptions = true,
    description = "Print the schedule an artifact was compiled with (or, without one, the defaults) as JSON.")
final class ScheduleCommand implements Callable<Integer> {
  @Parameters(index = "0", arity = "0..1", paramLabel = "X.oclc", description = "an artifact folder (default: the defaults)")
  Path artifact;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws IOException {
    PrintWriter out = spec.commandLine().getOut();
    if (artifact == null) {
      out.print(json(Schedule.defaults()));
    } else if (!Artifact.isArtifact(artifact)) {
      throw new OclcException(artifact + " is not an oclc artifact (no manifest.json)");
    } else {
      out.print(Files.readString(artifact.resolve(Artifact.SCHEDULE)));
    }
    out.flush();
    return 0;
  }

  static String json(Schedule schedule) {
    try {
      return ArtifactJson.mapper().writeValueAsString(schedule) + "\n";
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A schedule file as {@code oclc schedule} writes it, checked. */
  static Schedule read(Path file) {
    try {
      return ArtifactJson.mapper().readValue(file.toFile(), Schedule.class).validated();
    } catch (IOException e) {
      throw new OclcException("cannot read the schedule " + file + ": " + e.getMessage().lines().findFirst().orElse(""), e);
    }
  }
}
