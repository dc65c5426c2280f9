package oclc.compiler;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.io.IOException;
import java.nio.file.Path;
import oclc.artifact.ArtifactJson;
import oclc.ir.OclcException;
import oclc.lowering.Schedule;
import oclc.runtime.DeviceInfo;
import oclc.runtime.Devices;

/**
 * Schedule files (as {@code oclc schedule} and {@code oclc tune} write them) and each device type's
 * defaults.
 */
public final class ScheduleFiles {
  private ScheduleFiles() {}

  /**
   * {@code cpu} and {@code gpu} name a type; anything else selects an OpenCL device, whose type
   * decides.
   */
  public static Schedule.Target target(String device) {
    return device.equals("cpu") || device.equals("gpu")
        ? Schedule.Target.parse(device)
        : target(Devices.select(device));
  }

  /** A GPU takes the GPU defaults; a CPU, an accelerator or another device the CPU's. */
  public static Schedule.Target target(DeviceInfo device) {
    return device.kind() == DeviceInfo.Kind.GPU ? Schedule.Target.GPU : Schedule.Target.CPU;
  }

  /** The schedule as JSON, ending with a newline. */
  public static String json(Schedule schedule) {
    try {
      return ArtifactJson.mapper().writeValueAsString(schedule) + "\n";
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A schedule file as {@code oclc schedule} writes it, checked. */
  public static Schedule read(Path file) {
    try {
      return ArtifactJson.mapper().readValue(file.toFile(), Schedule.class).validated();
    } catch (IOException e) {
      throw new OclcException(
          "cannot read the schedule " + file + ": " + e.getMessage().lines().findFirst().orElse(""),
          e);
    }
  }
}
