package oclc.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import oclc.artifact.Artifact;
import oclc.artifact.ArtifactJson;
import oclc.lowering.Schedule;
import oclc.ir.OclcException;
import oclc.runtime.DeviceInfo;
import oclc.runtime.Devices;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code oclc schedule [X.oclc] [--device cpu|gpu]}: the kernel families' choices per size class
 * (tile sizes, sums, columns per work-item, group sizes, and the classes themselves) as JSON — the
 * artifact's, or a device type's defaults — to edit and give back to {@code oclc compile --schedule}.
 */
@Command(name = "schedule", mixinStandardHelpOptions = true,
    description = "Print the schedule an artifact was compiled with (or, without one, a device type's defaults) as JSON.")
final class ScheduleCommand implements Callable<Integer> {
  @Parameters(index = "0", arity = "0..1", paramLabel = "X.oclc", description = "an artifact folder (default: the defaults)")
  Path artifact;

  @Option(names = "--device", paramLabel = "cpu|gpu|NAME",
      description = "whose defaults: a device type, or an OpenCL device (its type decides; default: cpu)")
  String device = "cpu";

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws IOException {
    PrintWriter out = spec.commandLine().getOut();
    if (artifact == null) {
      out.print(json(Schedule.defaults(target(device))));
    } else if (!Artifact.isArtifact(artifact)) {
      throw new OclcException(artifact + " is not an oclc artifact (no manifest.json)");
    } else {
      out.print(Files.readString(artifact.resolve(Artifact.SCHEDULE)));
    }
    out.flush();
    return 0;
  }

  /** {@code cpu} and {@code gpu} name a type; anything else selects an OpenCL device, whose type decides. */
  static Schedule.Target target(String device) {
    return device.equals("cpu") || device.equals("gpu") ? Schedule.Target.parse(device) : target(Devices.select(device));
  }

  /** A GPU takes the GPU defaults; a CPU, an accelerator or another device the CPU's. */
  static Schedule.Target target(DeviceInfo device) {
    return device.kind() == DeviceInfo.Kind.GPU ? Schedule.Target.GPU : Schedule.Target.CPU;
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
