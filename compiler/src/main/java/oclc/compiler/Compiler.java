package oclc.compiler;

import java.nio.file.Path;
import oclc.artifact.Artifact;
import oclc.artifact.Folders;
import oclc.artifact.Manifest;
import oclc.cache.KernelCache;
import oclc.codegen.opencl.KernelOverrides;
import oclc.ir.OclcException;
import oclc.ir.Remedy;
import oclc.lowering.Schedule;
import oclc.lowering.SizeRanges;
import oclc.runtime.Devices;
import oclc.runtime.Executable;
import oclc.runtime.KernelBuilder;
import oclc.runtime.KernelBuilder.Origin;
import oclc.runtime.OpenClContext;

/**
 * The compiler: an ONNX model into an artifact folder, lowered for the device and, on OpenCL, with
 * every kernel built for it (or found in the kernel cache), as {@code oclc compile} does:
 *
 * <pre>{@code
 * CompileResult result = Compiler.compile(Path.of("gpt2/model.onnx"), CompileOptions.defaults()
 *     .withDevice("cpu").withOut(Path.of("gpt2.oclc")).withDim("batch_size", 1, 4));
 * }</pre>
 *
 * Errors are {@link OclcException}s whose messages say what is wrong; where a change of the options
 * fixes one, its {@link OclcException#remedy()} says which.
 */
public final class Compiler {
  private Compiler() {}

  /** Loads {@code model} (an .onnx file, or a folder holding model.onnx) and compiles it. */
  public static CompileResult compile(Path model, CompileOptions options) {
    long start = System.nanoTime();
    return compile(LoadedModel.load(model), options, start);
  }

  /** Compiles a model already loaded. */
  public static CompileResult compile(LoadedModel loaded, CompileOptions options) {
    return compile(loaded, options, System.nanoTime());
  }

  private static CompileResult compile(LoadedModel loaded, CompileOptions options, long start) {
    CompileListener listener = options.listener();
    Path artifact =
        options.out() != null ? options.out() : Path.of(Specs.defaultArtifactName(loaded.file()));
    long loadedAt = System.nanoTime();
    SizeRanges ranges =
        SizeRanges.forGraph(loaded.simplified(), options.dims(), options.buckets(), true);
    ranges.notices().forEach(listener::notice);
    KernelOverrides overrides = Specs.overrides(options.kernels(), loaded.simplified());
    Schedule given = options.schedule() == null ? null : ScheduleFiles.read(options.schedule());
    String device = options.device();
    String backend =
        device.equals(DeviceChoice.JAVA) ? device : DeviceChoice.resolve(device, listener::notice);
    if (backend.equals(DeviceChoice.JAVA)) {
      if (!overrides.isEmpty()) {
        throw new OclcException(
            "user kernels are OpenCL C, which the java backend does not run",
            Remedy.USE_OPENCL_DEVICE);
      }
      Schedule chosen = given != null ? given : Schedule.defaults(Schedule.Target.CPU);
      Manifest manifest =
          ModelCompiler.writeJavaArtifact(loaded, artifact, ranges, chosen, options.fuse());
      long end = System.nanoTime();
      return new CompileResult(
          loaded.file(),
          artifact,
          manifest,
          "java (Vector API)",
          chosen.origin(),
          options.schedule(),
          0,
          0,
          null,
          new CompileResult.Seconds(
              (end - start) / 1e9, (loadedAt - start) / 1e9, (end - loadedAt) / 1e9, 0),
          null);
    }
    KernelCache cache =
        new KernelCache(
            options.cacheDirectory() != null
                ? options.cacheDirectory()
                : KernelCache.defaultDirectory(System.getenv()));
    CompileResult result;
    try (OpenClContext context = OpenClContext.open(Devices.select(device))) {
      if (!overrides.isEmpty() && options.verify()) {
        Path scratch = OverrideVerifier.scratch();
        try {
          OverrideVerifier.verify(loaded.simplified(), ranges, overrides, context, cache, scratch)
              .forEach(listener::checked);
        } finally {
          Folders.deleteTree(scratch);
        }
      }
      Schedule chosen =
          given != null ? given : Schedule.defaults(ScheduleFiles.target(context.info()));
      Manifest manifest =
          ModelCompiler.writeArtifact(loaded, artifact, ranges, overrides, chosen, options.fuse());
      long loweredAt = System.nanoTime();
      KernelBuilder.Progress progress =
          new KernelBuilder.Progress() {
            @Override
            public void started(int kernels) {
              listener.kernelsStarted(kernels);
            }

            @Override
            public void ready(String kernel, Origin origin) {
              listener.kernelReady(kernel);
            }
          };
      try (Executable executable =
          Executable.load(artifact, context, cache, progress, listener::warning)) {
        KernelBuilder.Programs programs = executable.programs();
        Path binaries = null;
        if (options.embedBinaries()) {
          binaries = artifact.resolve(Artifact.BINARIES);
          KernelCache embedded = new KernelCache(binaries);
          int i = 0;
          for (var kernel : manifest.kernels()) {
            embedded.put(
                KernelBuilder.keyOf(
                    kernel.name(),
                    executable.artifact().kernelSourceSha256(kernel.name()),
                    context.info()),
                programs.binaries()[i++]);
          }
        }
        long end = System.nanoTime();
        result =
            new CompileResult(
                loaded.file(),
                artifact,
                manifest,
                context.info().name(),
                chosen.origin(),
                options.schedule(),
                programs.count(Origin.BUILT) + programs.count(Origin.REBUILT),
                programs.count(Origin.CACHED) + programs.count(Origin.EMBEDDED),
                binaries,
                new CompileResult.Seconds(
                    (end - start) / 1e9,
                    (loadedAt - start) / 1e9,
                    (loweredAt - loadedAt) / 1e9,
                    (end - loweredAt) / 1e9),
                null);
      }
    }
    if (options.trainStartCache()) {
      String startCache =
          JvmStartCache.train(
              artifact, device, cache.directory(), System.getenv(), listener::warning);
      result =
          new CompileResult(
              result.model(),
              result.artifact(),
              result.manifest(),
              result.device(),
              result.scheduleOrigin(),
              result.scheduleFile(),
              result.kernelsBuilt(),
              result.kernelsCached(),
              result.binaries(),
              result.seconds(),
              startCache);
    }
    return result;
  }
}
