package oclc.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * A command that prints its results to the command line's output, flushed when it ends (on an error
 * too, so that what it printed before stands), and its notices and warnings to the error stream.
 */
abstract class PrintingCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Override
  public final Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    try {
      return run(out, spec.commandLine().getErr());
    } finally {
      out.flush();
    }
  }

  /** The command's work, printing to {@code out} and {@code err}; returns the exit status. */
  abstract int run(PrintWriter out, PrintWriter err) throws Exception;
}
