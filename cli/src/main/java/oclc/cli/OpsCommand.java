package oclc.cli;

import java.io.PrintWriter;
import java.util.Set;
import java.util.concurrent.Callable;
import oclc.codegen.opencl.GraphLowering;
import oclc.ir.OpDefinition;
import oclc.ir.OpRegistry;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code oclc ops}: the supported ops, as the registry lists them, and which of them have OpenCL
 * kernels (a kernel may still refuse some types or attributes; compile says which).
 */
@Command(name = "ops", mixinStandardHelpOptions = true,
    description = "List the supported ONNX ops and which have OpenCL kernels.")
final class OpsCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    var all = OpRegistry.standard().all();
    Set<String> onDevice = GraphLowering.supportedOps();
    int kernels = 0;
    for (OpDefinition op : all) {
      boolean opencl = op.domain().isEmpty() && onDevice.contains(op.opType());
      kernels += opencl ? 1 : 0;
      out.printf("%-28s %s%n", OpRegistry.key(op.domain(), op.opType()), opencl ? "opencl" : "reference only");
    }
    out.println(all.size() + " ops, " + kernels + " with OpenCL kernels");
    out.flush();
    return 0;
  }
}
