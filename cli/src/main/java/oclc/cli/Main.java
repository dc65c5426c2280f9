package oclc.cli;

import oclc.ir.OclcException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code oclc} command line. */
@Command(
    name = "oclc",
    // every subcommand, down to cache's, takes --help and --version
    scope = CommandLine.ScopeType.INHERIT,
    mixinStandardHelpOptions = true,
    version = "oclc " + oclc.artifact.Version.OCLC,
    description = "Ahead-of-time kernel compiler and host runtime for ONNX models.",
    subcommands = {
      InspectCommand.class,
      CompileCommand.class,
      RunCommand.class,
      GenerateCommand.class,
      TokenizeCommand.class,
      ProfileCommand.class,
      ScheduleCommand.class,
      TuneCommand.class,
      ConformanceCommand.class,
      OpsCommand.class,
      CacheCommand.class,
      DevicesCommand.class,
      ServeCommand.class,
      VerifyCommand.class,
      QuantizeCommand.class
    })
public final class Main {

  public static void main(String[] args) {
    System.exit(execute(args));
  }

  /**
   * Runs the command line; errors the user can act on are printed as one message, not a trace, with
   * the flag that fixes them where they have a remedy (the one place that spells remedies as
   * flags).
   */
  public static int execute(String... args) {
    CommandLine commandLine = new CommandLine(new Main());
    commandLine.setExecutionExceptionHandler(
        (exception, cmd, parseResult) -> {
          if (exception instanceof OclcException oclcException) {
            cmd.getErr().println("error: " + Remedies.message(oclcException));
            return 2;
          }
          throw exception;
        });
    return commandLine.execute(args);
  }
}
