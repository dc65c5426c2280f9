package oclc.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import oclc.ir.OclcException;
import oclc.onnx.OnnxModelLoader;
import oclc.onnx.quantize.WeightOptions;
import oclc.onnx.quantize.WeightQuantizer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code oclc quantize}: an .onnx model with its weights quantized, written as a standard ONNX file
 * (MatMulNBits and GatherBlockQuantized of com.microsoft) that ONNX Runtime runs.
 */
@Command(
    name = "quantize",
    description =
        "Write the model with its MatMul, Gemm and embedding weights quantized (weight-only:"
            + " MatMulNBits, GatherBlockQuantized) or stored as fp16, as an ONNX file.")
final class QuantizeCommand extends PrintingCommand {
  @Mixin ModelParameter.Onnx model;

  @Mixin WeightsOption weights;

  @Option(names = "--out", required = true, paramLabel = "Q.onnx", description = "the file written")
  Path out;

  @Override
  int run(PrintWriter out, PrintWriter err) throws Exception {
    if (!weights.given()) {
      throw new OclcException("give the format: --weights int4|int8|fp16");
    }
    WeightOptions options = weights.options();
    if (options.asExported()) {
      throw new OclcException("--weights fp32 is the model as exported: nothing to write");
    }
    Path file = WeightsOption.modelFile(model.path);
    WeightQuantizer.Result result =
        WeightsOption.quantize(OnnxModelLoader.parse(file), file, options, err, out);
    WeightQuantizer.write(result.model(), this.out);
    out.printf(
        "wrote %s: %d bytes (%s: %d), weights %d -> %d bytes%n",
        this.out,
        Files.size(this.out),
        file.getFileName(),
        Files.size(file),
        result.bytesBefore(),
        result.bytesAfter());
    return 0;
  }
}
