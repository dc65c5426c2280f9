package oclc.compiler;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import oclc.codegen.opencl.KernelOverrides;
import oclc.codegen.opencl.UserKernel;
import oclc.ir.Graph;
import oclc.ir.OclcException;
import oclc.lowering.SizeRanges;

/**
 * The text forms of sizes and user kernels, as the command line, the bench and a Java user's
 * configuration write them: {@code NAME=MIN..MAX} (a symbol's range), {@code NAME=CUTS} (where its
 * variants change, e.g. {@code sequence_length=1,2..16,17..}), {@code OP=FILE.cl} and {@code
 * node:NAME=FILE.cl} (a user kernel, docs/custom-kernels.md). Errors name the text, not a flag.
 */
public final class Specs {
  private Specs() {}

  /** {@code NAME=MIN..MAX} specs as ranges by symbol. */
  public static Map<String, SizeRanges.Interval> dimRanges(List<String> specs) {
    Map<String, SizeRanges.Interval> ranges = new LinkedHashMap<>();
    for (String spec : specs) {
      String[] parts = nameAndValue(spec, "sequence_length=1..128");
      ranges.put(parts[0], SizeRanges.Interval.parse(parts[1]));
    }
    return ranges;
  }

  /** {@code NAME=CUTS} specs as cuts by symbol. */
  public static Map<String, List<SizeRanges.Interval>> bucketCuts(List<String> specs) {
    Map<String, List<SizeRanges.Interval>> cuts = new LinkedHashMap<>();
    for (String spec : specs) {
      String[] parts = nameAndValue(spec, "sequence_length=1,2..16,17..");
      cuts.put(
          parts[0], Arrays.stream(parts[1].split(",")).map(SizeRanges.Interval::parse).toList());
    }
    return cuts;
  }

  /**
   * User kernels by op type or node, checked against the graph: a spec whose op or node it lacks is
   * refused.
   */
  public static KernelOverrides overrides(List<String> specs, Graph graph) {
    return overrides(specs, graph, true);
  }

  /**
   * The same; without {@code strict}, a spec whose op or node the graph lacks is left out
   * (conformance over many models).
   */
  public static KernelOverrides overrides(List<String> specs, Graph graph, boolean strict) {
    Map<String, UserKernel> byNode = new LinkedHashMap<>();
    Map<String, UserKernel> byOp = new LinkedHashMap<>();
    for (String spec : specs) {
      int equals = spec.lastIndexOf('=');
      if (equals <= 0) {
        throw new OclcException("user kernel " + spec + ": write OP=FILE.cl or node:NAME=FILE.cl");
      }
      String target = spec.substring(0, equals).strip();
      UserKernel kernel = UserKernel.read(Path.of(spec.substring(equals + 1).strip()));
      if (target.startsWith("node:")) {
        String node = target.substring("node:".length());
        if (graph.nodes().stream().noneMatch(n -> n.name().equals(node))) {
          if (!strict) {
            continue;
          }
          throw new OclcException(
              "user kernel "
                  + spec
                  + ": the model has no node '"
                  + node
                  + "' after the passes "
                  + "(oclc inspect MODEL lists them)");
        }
        byNode.put(node, kernel);
      } else {
        if (graph.nodes().stream().noneMatch(n -> n.opType().equals(target))) {
          if (!strict) {
            continue;
          }
          throw new OclcException(
              "user kernel "
                  + spec
                  + ": the model has no "
                  + target
                  + " node after the passes; "
                  + "its ops are "
                  + graph.opCounts().keySet());
        }
        byOp.put(target, kernel);
      }
    }
    return new KernelOverrides(byNode, byOp);
  }

  private static String[] nameAndValue(String spec, String example) {
    int equals = spec.indexOf('=');
    if (equals <= 0) {
      throw new OclcException(spec + ": write NAME=VALUE, e.g. " + example);
    }
    return new String[] {spec.substring(0, equals).strip(), spec.substring(equals + 1).strip()};
  }

  /**
   * {@code model.onnx} in folder {@code gpt2} gives {@code gpt2.oclc}; {@code x.onnx} gives {@code
   * x.oclc}.
   */
  public static String defaultArtifactName(Path modelFile) {
    String stem = modelFile.getFileName().toString().replaceFirst("\\.onnx$", "");
    if (stem.equals("model") && modelFile.toAbsolutePath().getParent() != null) {
      stem = modelFile.toAbsolutePath().getParent().getFileName().toString();
    }
    return stem + ".oclc";
  }
}
