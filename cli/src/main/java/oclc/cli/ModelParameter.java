package oclc.cli;

import java.nio.file.Path;
import picocli.CommandLine.Parameters;

/** The {@code MODEL} parameter that the commands working on one model take first. */
final class ModelParameter {
  private ModelParameter() {}

  /** An .onnx model to compile ({@code compile}, {@code tune}). */
  static final class Onnx {
    @Parameters(
        index = "0",
        paramLabel = "MODEL",
        description = "an .onnx file (or a folder holding model.onnx)")
    Path path;
  }

  /** A model or a compiled artifact ({@code run}, {@code generate}, {@code inspect}). */
  static final class OnnxOrArtifact {
    @Parameters(
        index = "0",
        paramLabel = "MODEL",
        description = "an .onnx file or an artifact folder X.oclc")
    Path path;
  }
}
