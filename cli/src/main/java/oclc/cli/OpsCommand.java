package oclc.cli;

import java.io.PrintWriter;
import java.util.Map;
import java.util.Set;
import oclc.families.KernelFamilies;
import oclc.ir.OpDefinition;
import oclc.ir.OpRegistry;
import picocli.CommandLine.Command;

/**
 * {@code oclc ops}: the supported ops, as the registry lists them, which of them have OpenCL
 * kernels, and how the java backend computes each: a Vector API kernel, a plain Java kernel
 * (copies, gathers), a view, or the scalar reference fallback (a kernel may still refuse some types
 * or attributes, which then take the fallback on java; compile says which on OpenCL).
 */
@Command(
    name = "ops",
    description =
        "List the supported ONNX ops: which have OpenCL kernels, and how the java backend computes each.")
final class OpsCommand extends PrintingCommand {
  @Override
  int run(PrintWriter out, PrintWriter err) {
    var all = OpRegistry.standard().all();
    Set<String> onDevice = KernelFamilies.openClOps();
    Map<String, String> java = KernelFamilies.javaKinds();
    int kernels = 0;
    int javaKernels = 0;
    out.printf("%-28s %-16s %s%n", "op", "opencl", "java");
    for (OpDefinition op : all) {
      String key = OpRegistry.key(op.domain(), op.opType());
      boolean opencl = onDevice.contains(key);
      String onJava = java.getOrDefault(key, "reference fallback");
      kernels += opencl ? 1 : 0;
      javaKernels += onJava.equals("reference fallback") ? 0 : 1;
      out.printf("%-28s %-16s %s%n", key, opencl ? "kernel" : "-", onJava);
    }
    out.println(
        all.size()
            + " ops, "
            + kernels
            + " with OpenCL kernels, "
            + javaKernels
            + " with Java kernels (vector: Vector API; java: plain Java loops; copy: strided block copies; view: no copy), "
            + (all.size() - javaKernels)
            + " on the java backend's scalar reference fallback");
    return 0;
  }
}
