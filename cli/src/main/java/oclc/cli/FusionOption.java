package oclc.cli;

import picocli.CommandLine.Option;

/**
 * {@code --fuse} (the default) and {@code --no-fuse}: whether elementwise nodes are fused into the
 * launches of the products before them and into chains, or every node is launched alone. For the
 * commands that take an .onnx model, it applies when they compile it; an artifact keeps its own.
 */
final class FusionOption {
  @Option(
      names = "--fuse",
      negatable = true,
      defaultValue = "true",
      fallbackValue = "true",
      description =
          "fuse elementwise epilogues (bias, GELU, residual adds, attention's scale and mask) into the "
              + "matmul kernels and elementwise chains into one kernel (default); --no-fuse launches every node alone. "
              + "For an .onnx model compiled on the fly; an artifact keeps the choice it was compiled with")
  boolean fuse = true;
}
