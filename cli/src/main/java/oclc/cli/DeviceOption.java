package oclc.cli;

import java.nio.file.Path;
import oclc.artifact.Artifact;
import oclc.compiler.DeviceChoice;
import oclc.ir.OclcException;
import picocli.CommandLine.Option;

/**
 * {@code --device} of the commands that run a model or an artifact ({@code run}, {@code generate}):
 * {@code reference}, {@code java} (the Vector API backend), or an OpenCL device ({@code cpu},
 * {@code gpu}, a name); {@code cpu} without an OpenCL platform is {@code java}, with a notice. Left
 * out, a model runs on the reference executor and an artifact on the device it was compiled for.
 */
final class DeviceOption {
  static final String DESCRIPTION =
      "reference (the scalar oracle), java (the Vector API backend), cpu or gpu "
          + "(the first OpenCL device of that type; cpu without an OpenCL platform runs on java), "
          + "or a substring of an OpenCL device's name";

  @Option(
      names = "--device",
      description =
          "default: reference for a model, the artifact's own device for an artifact; "
              + DESCRIPTION)
  String device;

  /** The device given, else the default for {@code model}. */
  String orDefault(Path model) {
    return device != null
        ? device
        : Artifact.isArtifact(model) ? DeviceChoice.defaultDevice(model) : DeviceChoice.REFERENCE;
  }

  /**
   * The device to run {@code model} on: {@link #orDefault}, where an artifact is refused the
   * reference executor (it runs on the device it was compiled for).
   */
  String toRun(Path model) {
    String chosen = orDefault(model);
    if (chosen.equals(DeviceChoice.REFERENCE) && Artifact.isArtifact(model)) {
      throw new OclcException(
          model
              + " is a compiled artifact, which runs on the device it was compiled for; "
              + "give --device cpu, gpu or java, or run the .onnx model on --device reference");
    }
    return chosen;
  }

  /** {@code --device} of the commands that compile ({@code compile}, {@code tune}): required. */
  static final class ToCompile {
    @Option(
        names = "--device",
        required = true,
        description =
            "cpu, gpu, a substring of an OpenCL device's name, "
                + "or java (the Vector API backend: no OpenCL needed; cpu without an OpenCL platform is java; compile only)")
    String device;
  }
}
