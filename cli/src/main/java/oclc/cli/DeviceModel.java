package oclc.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import oclc.artifact.Artifact;
import oclc.cache.KernelCache;
import oclc.codegen.opencl.KernelOverrides;
import oclc.codegen.opencl.Schedule;
import oclc.codegen.opencl.SizeRanges;
import oclc.ir.OclcException;
import oclc.runtime.Devices;
import oclc.runtime.Executable;
import oclc.runtime.KernelBuilder;
import oclc.runtime.OpenClContext;

/**
 * A model loaded on an OpenCL device for {@code run} and {@code generate}: an artifact folder as it
 * is, or an .onnx model compiled into a temporary artifact first (removed on close).
 */
final class DeviceModel implements AutoCloseable {
  private final OpenClContext context;
  private final Executable executable;
  private final Path scratch;

  private DeviceModel(OpenClContext context, Executable executable, Path scratch) {
    this.context = context;
    this.executable = executable;
    this.scratch = scratch;
  }

  static DeviceModel open(Path model, String deviceSpec, KernelCache cache, PrintWriter err) {
    return open(model, deviceSpec, cache, err, true);
  }

  /** The same; an .onnx model is compiled with fusion or without ({@code fuse}); an artifact keeps its own. */
  static DeviceModel open(Path model, String deviceSpec, KernelCache cache, PrintWriter err, boolean fuse) {
    DeviceOption.requireOpenCl(deviceSpec);
    OpenClContext context = OpenClContext.open(Devices.select(deviceSpec));
    Path scratch = null;
    try {
      Path folder = model;
      if (!Artifact.isArtifact(model)) {
        LoadedModel loaded = LoadedModel.load(model);
        scratch = Files.createTempDirectory("oclc-model");
        folder = scratch.resolve(CompileCommand.defaultName(loaded.file()));
        ModelCompiler.writeArtifact(loaded, folder, SizeRanges.forGraph(loaded.simplified(), java.util.Map.of(),
            java.util.Map.of(), false), KernelOverrides.none(), Schedule.defaults(), fuse);
      }
      Executable executable = Executable.load(folder, context, cache, KernelBuilder.SILENT,
          w -> err.println("warning: " + w));
      return new DeviceModel(context, executable, scratch);
    } catch (IOException e) {
      context.close();
      throw new OclcException("cannot make a temporary artifact for " + model + ": " + e.getMessage(), e);
    } catch (RuntimeException e) {
      context.close();
      if (scratch != null) {
        OpenClBackend.deleteTree(scratch);
      }
      throw e;
    }
  }

  Executable executable() {
    return executable;
  }

  String deviceName() {
    return context.info().name();
  }

  @Override
  public void close() {
    executable.close();
    context.close();
    if (scratch != null) {
      OpenClBackend.deleteTree(scratch);
    }
  }
}
