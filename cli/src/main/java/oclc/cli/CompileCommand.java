package oclc.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import oclc.compiler.CompileListener;
import oclc.compiler.CompileOptions;
import oclc.compiler.CompileResult;
import oclc.compiler.Compiler;
import oclc.compiler.LoadedModel;
import oclc.compiler.QuantizationAccuracy;
import oclc.compiler.generate.DecoderNames;
import oclc.compiler.generate.GenerationConfig;
import oclc.ir.OclcException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code oclc compile}: the artifact of a model, with every kernel built for the device (or found
 * in the cache).
 */
@Command(
    name = "compile",
    description =
        "Compile a model into an artifact folder (manifest.json, graph.json, kernels/*.cl, params.bin) "
            + "and build every kernel for the device.")
final class CompileCommand extends PrintingCommand {
  @Mixin ModelParameter.Onnx model;

  @Mixin DeviceOption.ToCompile device;

  @Mixin DeviceModelOptions loading;

  @Mixin WeightsOption weights;

  @Option(
      names = "--out",
      paramLabel = "X.oclc",
      description = "the artifact folder (default: NAME.oclc here)")
  Path out;

  @Option(
      names = "--embed-binaries",
      description = "also copy the device binaries into X.oclc/bin/")
  boolean embedBinaries;

  @Mixin SizeOptions sizes;

  @Mixin KernelOption kernels;

  @Option(
      names = "--schedule",
      paramLabel = "FILE.json",
      description =
          "the kernel families' choices per size class, as oclc schedule or oclc tune writes them "
              + "(default: the defaults for the device's type)")
  Path schedule;

  @Option(
      names = "--no-verify",
      description = "do not check user kernels against the reference before writing the artifact")
  boolean noVerify;

  /** The quantized model against the model as exported; a graph that is no decoder says so. */
  private String accuracy(LoadedModel quantized) {
    try {
      return QuantizationAccuracy.measure(
              LoadedModel.load(model.path).simplified(),
              quantized.simplified(),
              DecoderNames.find(GenerationConfig.foldersOf(model.path)),
              8)
          .toString();
    } catch (OclcException e) {
      return "accuracy not measured (" + e.getMessage() + ")";
    }
  }

  @Override
  int run(PrintWriter stdout, PrintWriter err) {
    ProgressBar bar = new ProgressBar(err, "building kernels");
    CompileListener listener =
        new CompileListener() {
          @Override
          public void notice(String text) {
            err.println(text);
          }

          @Override
          public void warning(String text) {
            err.println("warning: " + text);
          }

          @Override
          public void checked(String line) {
            err.println("checked " + line);
          }

          @Override
          public void kernelsStarted(int count) {
            bar.start(count);
          }

          @Override
          public void kernelReady(String kernel) {
            bar.step(kernel);
          }
        };
    LoadedModel loaded = LoadedModel.load(model.path, weights.rewrite(model.path, err));
    CompileResult result =
        Compiler.compile(
            loaded,
            CompileOptions.defaults()
                .withDevice(device.device)
                .withOut(out)
                .withDims(sizes.dimRanges())
                .withBuckets(sizes.bucketCuts())
                .withKernels(kernels.kernels)
                .withSchedule(schedule)
                .withFuse(loading.fuse())
                .withVerify(!noVerify)
                .withEmbedBinaries(embedBinaries)
                .withCacheDirectory(loading.cacheDirectory())
                .withListener(listener)
                .withTrainStartCache(true));
    result.summary().forEach(stdout::println);
    if (weights.given() && !weights.options().asExported()) {
      stdout.println("weights " + weights.options().format().label() + ": " + accuracy(loaded));
      if (result.manifest().weights().isEmpty()) {
        stdout.println(
            "weights stored as float32, their values rounded to float16: no kernel multiplies by"
                + " float16 weights yet (oclc quantize --weights fp16 writes a float16 file)");
      }
    }
    return 0;
  }
}
