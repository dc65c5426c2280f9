package oclc.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.UnaryOperator;
import oclc.artifact.Artifact;
import oclc.ir.OclcException;
import oclc.onnx.proto.OnnxProto.ModelProto;
import oclc.onnx.quantize.WeightFormat;
import oclc.onnx.quantize.WeightOptions;
import oclc.onnx.quantize.WeightQuantizer;
import picocli.CommandLine.Option;

/**
 * {@code --weights}, {@code --block} and {@code --keep-fp32}: the format an .onnx model's MatMul,
 * Gemm and embedding weights are quantized into, in memory, before it is compiled ({@code compile},
 * {@code run}, {@code generate}, {@code profile}, {@code serve}); {@code oclc quantize} writes the
 * same model to a file.
 */
final class WeightsOption {
  @Option(
      names = "--weights",
      paramLabel = "fp32|fp16|int8|int4",
      description =
          "store the MatMul, Gemm and embedding weights as fp16, or as int8 or int4 in blocks with"
              + " a scale and zero point each (ONNX Runtime's MatMulNBits and"
              + " GatherBlockQuantized); default: as exported")
  String weights;

  @Option(
      names = "--block",
      paramLabel = "N",
      description = "weights per scale for int8 and int4: 32 (default), 64, 128")
  Integer block;

  @Option(
      names = "--keep-fp32",
      paramLabel = "PATTERN",
      description =
          "leave the weights whose initializer or node name matches this glob (* and ?) as"
              + " exported; repeatable")
  List<String> keep;

  boolean given() {
    return weights != null;
  }

  WeightOptions options() {
    if (weights == null) {
      if (block != null || keep != null) {
        throw new OclcException("--block and --keep-fp32 go with --weights fp16|int8|int4");
      }
      return WeightOptions.AS_EXPORTED;
    }
    return new WeightOptions(
        WeightFormat.parse(weights),
        block == null ? WeightOptions.DEFAULT_BLOCK : block,
        keep == null ? List.of() : keep);
  }

  /**
   * The rewrite that quantizes {@code model}'s weights as asked (none when not asked), printing its
   * progress and summary table to {@code err}; an artifact is refused, its weights were fixed when
   * it was compiled.
   */
  UnaryOperator<ModelProto> rewrite(Path model, PrintWriter err) {
    WeightOptions options = options();
    if (options.asExported()) {
      return UnaryOperator.identity();
    }
    if (Artifact.isArtifact(model)) {
      throw new OclcException(
          model
              + " is a compiled artifact, whose weights were stored when it was compiled; give"
              + " --weights to oclc compile of the .onnx model");
    }
    Path file = modelFile(model);
    return proto -> quantize(proto, file, options.whenCompiling(), err, err).model();
  }

  /** Quantizes, the progress bar on {@code err}, the summary table on {@code table}. */
  static WeightQuantizer.Result quantize(
      ModelProto proto, Path file, WeightOptions options, PrintWriter err, PrintWriter table) {
    ProgressBar bar = new ProgressBar(err, "quantizing weights to " + options.format().label());
    WeightQuantizer.Result result =
        WeightQuantizer.quantize(
            proto,
            file,
            options,
            new WeightQuantizer.Listener() {
              @Override
              public void start(int count) {
                bar.start(count);
              }

              @Override
              public void done(String weight) {
                bar.step(weight);
              }
            });
    result.table().forEach(table::println);
    table.flush();
    return result;
  }

  /** The .onnx file of {@code model}: itself, or the model.onnx of its folder. */
  static Path modelFile(Path model) {
    return Files.isDirectory(model) ? model.resolve("model.onnx") : model;
  }
}
