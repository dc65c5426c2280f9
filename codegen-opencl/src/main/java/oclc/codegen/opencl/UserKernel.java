package oclc.codegen.opencl;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import oclc.ir.OclcException;

/**
 * A kernel a user wrote for a node or an op type, read from its {@code .cl} file. The file says how
 * to call it in comment lines (see docs/custom-kernels.md):
 *
 * <pre>
 *   // oclc: arguments A, B, Y, M, N, K, batches, aBatchStride, bBatchStride
 *   // oclc: global floordiv(N + 3, 4), M, batches
 *   // oclc: local 1, 1, 1            (optional: the driver's choice otherwise is not allowed, see docs)
 *   // oclc: when M=1..16              (optional, repeatable: the sizes the kernel serves)
 * </pre>
 *
 * Names are the node's buffers and sizes ({@link UserKernelLowering}); sizes are expressions.
 */
public record UserKernel(
    Path file,
    String kernelName,
    String source,
    List<String> arguments,
    List<String> globalSize,
    List<String> localSize,
    List<String> when) {

  private static final Pattern KERNEL =
      Pattern.compile("__kernel\\s+(?:__attribute__\\s*\\(\\(.*?\\)\\)\\s*)?void\\s+(\\w+)\\s*\\(");
  private static final Pattern DIRECTIVE =
      Pattern.compile("(?m)^\\s*//\\s*oclc:\\s*(\\w+)\\s+(.*?)\\s*$");

  public static UserKernel read(Path file) {
    String source;
    try {
      source = Files.readString(file);
    } catch (IOException e) {
      throw new OclcException("cannot read the kernel file " + file + ": " + e.getMessage(), e);
    }
    Matcher kernel = KERNEL.matcher(source);
    if (!kernel.find()) {
      throw new OclcException(file + " has no '__kernel void NAME(' to call");
    }
    String name = kernel.group(1);
    if (kernel.find()) {
      throw new OclcException(file + " has more than one __kernel; give one kernel per file");
    }
    List<String> arguments = null;
    List<String> global = null;
    List<String> local = List.of();
    List<String> when = new ArrayList<>();
    Matcher d = DIRECTIVE.matcher(source);
    while (d.find()) {
      switch (d.group(1)) {
        case "arguments" -> arguments = split(d.group(2));
        case "global" -> global = split(d.group(2));
        case "local" -> local = split(d.group(2));
        case "when" -> when.add(d.group(2));
        default ->
            throw new OclcException(
                file
                    + ": unknown directive '// oclc: "
                    + d.group(1)
                    + "'; the directives are arguments, global, local and when");
      }
    }
    if (arguments == null || global == null) {
      throw new OclcException(
          file
              + " must say how to call "
              + name
              + ": '// oclc: arguments ...' and '// oclc: global ...'"
              + " (see docs/custom-kernels.md)");
    }
    if (!local.isEmpty() && local.size() != global.size()) {
      throw new OclcException(
          file
              + ": the local size has "
              + local.size()
              + " axes, the global size "
              + global.size());
    }
    return new UserKernel(file, name, source, arguments, global, local, List.copyOf(when));
  }

  /** Splits at the commas outside parentheses: {@code floordiv(N + 3, 4), M} is two sizes. */
  private static List<String> split(String text) {
    List<String> parts = new ArrayList<>();
    int depth = 0;
    int start = 0;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      depth += c == '(' ? 1 : c == ')' ? -1 : 0;
      if (c == ',' && depth == 0) {
        parts.add(text.substring(start, i).strip());
        start = i + 1;
      }
    }
    parts.add(text.substring(start).strip());
    return parts.stream().filter(p -> !p.isEmpty()).toList();
  }
}
