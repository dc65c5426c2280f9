package oclc.compiler;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import oclc.codegen.cpu.JavaLowering;
import oclc.codegen.opencl.GraphLowering;
import oclc.codegen.opencl.KernelOverrides;
import oclc.ir.Graph;
import oclc.ir.OclcException;
import oclc.ir.passes.Passes;
import oclc.lowering.Schedule;
import oclc.lowering.SizeRanges;
import oclc.lowering.passes.LoweringOptions;
import oclc.lowering.passes.LoweringPasses;
import oclc.onnx.OnnxModelLoader;
import oclc.onnx.proto.OnnxProto.ModelProto;

/**
 * A model as read from its file and after the standard passes (or the passes of {@link
 * LoweringPasses}'s list up to a given one); the compile runs the lowering passes on {@code
 * simplified}.
 */
public record LoadedModel(Path file, Graph imported, Graph simplified) {

  public static LoadedModel load(Path file) {
    return load(file, Passes.STANDARD.getLast().name());
  }

  /**
   * Loads and runs the passes up to and including {@code lastPass} ("import" for none); a lowering
   * pass runs as a default compile for the CPU's OpenCL device would (fused, the ranges the model
   * bounds).
   */
  public static LoadedModel load(Path file, String lastPass) {
    return load(file, lastPass, false, true);
  }

  /**
   * The same, the lowering passes as a compile for the Java backend ({@code java}) or OpenCL, fused
   * or not, with the ranges the model bounds and the CPU's default schedule would run them.
   */
  public static LoadedModel load(Path file, String lastPass, boolean java, boolean fuse) {
    return load(file, lastPass, java, fuse, UnaryOperator.identity());
  }

  /** Loads the model as {@code rewrite} makes it of the file's (its weights quantized, say). */
  public static LoadedModel load(Path file, UnaryOperator<ModelProto> rewrite) {
    return load(file, Passes.STANDARD.getLast().name(), false, true, rewrite);
  }

  /** As {@link #load(Path, String, boolean, boolean)}, the file's model rewritten first. */
  public static LoadedModel load(
      Path file, String lastPass, boolean java, boolean fuse, UnaryOperator<ModelProto> rewrite) {
    Function<Graph, LoweringOptions> options =
        graph -> {
          SizeRanges ranges = SizeRanges.forGraph(graph, Map.of(), Map.of(), false);
          return java
              ? JavaLowering.passOptions(ranges, fuse)
              : GraphLowering.passOptions(
                  ranges, KernelOverrides.none(), Schedule.defaults(Schedule.Target.CPU), fuse);
        };
    if (Files.isDirectory(file) && Files.exists(file.resolve("model.onnx"))) {
      file = file.resolve("model.onnx");
    }
    Graph imported = OnnxModelLoader.load(file, rewrite);
    try {
      return new LoadedModel(file, imported, LoweringPasses.runUpTo(imported, lastPass, options));
    } catch (OclcException e) {
      throw rethrowWithFile(file, e);
    }
  }

  private static OclcException rethrowWithFile(Path file, OclcException e) {
    String message = file + ": " + e.getMessage();
    if (e instanceof oclc.ir.UnsupportedFeatureException) {
      return new oclc.ir.UnsupportedFeatureException(message);
    }
    return new OclcException(message, e);
  }
}
