package oclc.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import oclc.ir.OpDefinition;
import oclc.ir.OpRegistry;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code oclc ops}: the supported ops, as the registry lists them. */
@Command(name = "ops", mixinStandardHelpOptions = true, description = "List the supported ONNX ops.")
final class OpsCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    var all = OpRegistry.standard().all();
    for (OpDefinition op : all) {
      out.println(OpRegistry.key(op.domain(), op.opType()));
    }
    out.println(all.size() + " ops");
    out.flush();
    return 0;
  }
}
