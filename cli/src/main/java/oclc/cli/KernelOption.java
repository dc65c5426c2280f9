package oclc.cli;

import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/**
 * {@code --kernel}: user OpenCL C kernels by op type or node ({@code compile}, {@code
 * conformance}).
 */
final class KernelOption {
  @Option(
      names = "--kernel",
      paramLabel = "OP=FILE.cl|node:NAME=FILE.cl",
      description =
          "on an OpenCL device, compute every node of an op type (or one node) with your own OpenCL C "
              + "kernel; see docs/custom-kernels.md")
  List<String> kernels = new ArrayList<>();
}
