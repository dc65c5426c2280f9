package oclc.compiler;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.UnaryOperator;
import oclc.artifact.Artifact;
import oclc.artifact.Folders;
import oclc.cache.KernelCache;
import oclc.codegen.opencl.KernelOverrides;
import oclc.ir.OclcException;
import oclc.lowering.Schedule;
import oclc.lowering.SizeRanges;
import oclc.onnx.proto.OnnxProto.ModelProto;
import oclc.runtime.CompiledModel;
import oclc.runtime.Devices;
import oclc.runtime.Executable;
import oclc.runtime.KernelBuilder;
import oclc.runtime.OpenClContext;
import oclc.runtime.cpu.JavaExecutable;

/**
 * A model loaded on a device for {@code run}, {@code generate} and {@code profile}: an artifact
 * folder as it is, or an .onnx model compiled into a temporary artifact first (removed on close),
 * on an OpenCL device or on the Java backend.
 */
public final class DeviceModel implements AutoCloseable {
  private final OpenClContext context;
  private final CompiledModel executable;
  private final Path scratch;

  private DeviceModel(OpenClContext context, CompiledModel executable, Path scratch) {
    this.context = context;
    this.executable = executable;
    this.scratch = scratch;
  }

  /**
   * {@code model} on the device {@code deviceSpec} names (notices to {@code err}); an .onnx model
   * is compiled with fusion or without ({@code fuse}), an artifact keeps its own.
   */
  public static DeviceModel open(
      Path model, String deviceSpec, KernelCache cache, PrintWriter err, boolean fuse) {
    return open(model, deviceSpec, cache, err, fuse, UnaryOperator.identity());
  }

  /**
   * As {@link #open(Path, String, KernelCache, PrintWriter, boolean)}, an .onnx model rewritten by
   * {@code rewrite} (its weights quantized) before it is compiled.
   */
  public static DeviceModel open(
      Path model,
      String deviceSpec,
      KernelCache cache,
      PrintWriter err,
      boolean fuse,
      UnaryOperator<ModelProto> rewrite) {
    String device = DeviceChoice.resolve(deviceSpec, err::println);
    boolean onJava = device.equals(DeviceChoice.JAVA);
    if (!onJava
        && Artifact.isArtifact(
            model)) { // the device opens while the artifact is read; the executable owns it
      return new DeviceModel(
          null,
          Executable.open(
              model, device, cache, KernelBuilder.SILENT, w -> err.println("warning: " + w)),
          null);
    }
    OpenClContext context = onJava ? null : OpenClContext.open(Devices.select(device));
    Path scratch = null;
    try {
      Path folder = model;
      if (!Artifact.isArtifact(model)) {
        LoadedModel loaded = LoadedModel.load(model, rewrite);
        scratch = Files.createTempDirectory("oclc-model");
        folder = scratch.resolve(Specs.defaultArtifactName(loaded.file()));
        SizeRanges ranges =
            SizeRanges.forGraph(loaded.simplified(), java.util.Map.of(), java.util.Map.of(), false);
        if (onJava) {
          ModelCompiler.writeJavaArtifact(
              loaded, folder, ranges, Schedule.defaults(Schedule.Target.CPU), fuse);
        } else {
          ModelCompiler.writeArtifact(
              loaded,
              folder,
              ranges,
              KernelOverrides.none(),
              Schedule.defaults(ScheduleFiles.target(context.info())),
              fuse);
        }
      }
      CompiledModel executable =
          onJava
              ? JavaExecutable.load(
                  folder, JavaExecutable.defaultThreads(), w -> err.println("warning: " + w))
              : Executable.load(
                  folder, context, cache, KernelBuilder.SILENT, w -> err.println("warning: " + w));
      return new DeviceModel(context, executable, scratch);
    } catch (IOException e) {
      close(context);
      throw new OclcException(
          "cannot make a temporary artifact for " + model + ": " + e.getMessage(), e);
    } catch (RuntimeException e) {
      close(context);
      if (scratch != null) {
        Folders.deleteTree(scratch);
      }
      throw e;
    }
  }

  private static void close(OpenClContext context) {
    if (context != null) {
      context.close();
    }
  }

  public CompiledModel executable() {
    return executable;
  }

  public String deviceName() {
    return executable.deviceName();
  }

  @Override
  public void close() {
    executable.close();
    close(context);
    if (scratch != null) {
      Folders.deleteTree(scratch);
    }
  }
}
