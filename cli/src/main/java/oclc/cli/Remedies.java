package oclc.cli;

import java.util.List;
import oclc.ir.OclcException;

/**
 * The command-line spelling of an error's {@link oclc.ir.Remedy}: the flag that fixes it, added to
 * the message.
 */
final class Remedies {
  private Remedies() {}

  /** The error's message with what to do on the command line, where it has a remedy. */
  static String message(OclcException error) {
    String message = error.getMessage();
    List<String> subjects = error.subjects();
    return error
        .remedy()
        .map(
            remedy ->
                message
                    + switch (remedy) {
                      case UNFUSE -> "; compile with --no-fuse to launch every node alone";
                      case WIDEN_DIM ->
                          "; compile with --dim "
                              + first(subjects, "NAME")
                              + "=MIN..MAX to cover it";
                      case SKIP_VERIFY -> ", or compile with --no-verify to keep it anyway";
                      case USE_DEVICE -> "; use --device " + first(subjects, "DEVICE");
                      case USE_OPENCL_DEVICE ->
                          "; compile for an OpenCL device (--device cpu or gpu), or leave out --kernel";
                    })
        .orElse(message);
  }

  private static String first(List<String> subjects, String otherwise) {
    return subjects.isEmpty() ? otherwise : subjects.getFirst();
  }
}
