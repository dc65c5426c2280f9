package oclc.compiler.conformance;

import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;
import oclc.cache.KernelCache;
import oclc.compiler.LoadedModel;
import oclc.compiler.ModelCompiler;
import oclc.compiler.ScheduleFiles;
import oclc.compiler.Specs;
import oclc.lowering.Schedule;
import oclc.runtime.Devices;
import oclc.runtime.Executable;
import oclc.runtime.KernelBuilder;
import oclc.runtime.OpenClContext;

/**
 * An OpenCL device as a backend: each model is compiled into a temporary artifact, loaded (kernels
 * from the cache when it has them) and run through a session, as {@code oclc compile} + {@code oclc
 * run} would.
 */
public final class OpenClBackend implements Backend {
  private final OpenClContext device;
  private final KernelCache cache;
  private final Consumer<String> warnings;
  private final ScratchArtifacts scratch;
  private final boolean ownsDevice;
  private List<String> kernelSpecs = List.of();
  private boolean fuse = true;

  OpenClBackend(String deviceSpec, KernelCache cache, Consumer<String> warnings) {
    this(OpenClContext.open(Devices.select(deviceSpec)), true, cache, warnings);
  }

  /** On a device the caller opened and closes. */
  public OpenClBackend(OpenClContext device, KernelCache cache, Consumer<String> warnings) {
    this(device, false, cache, warnings);
  }

  private OpenClBackend(
      OpenClContext device, boolean ownsDevice, KernelCache cache, Consumer<String> warnings) {
    this.device = device;
    this.ownsDevice = ownsDevice;
    this.cache = cache;
    this.warnings = warnings;
    this.scratch = new ScratchArtifacts("oclc-artifacts");
  }

  OpenClContext device() {
    return device;
  }

  /** Whether the models are compiled with fusion (the default) or every node alone. */
  public OpenClBackend withFusion(boolean enabled) {
    this.fuse = enabled;
    return this;
  }

  /** User kernels ({@code --kernel OP=FILE.cl}) for the models that have such nodes. */
  public OpenClBackend withKernels(List<String> specs) {
    this.kernelSpecs = List.copyOf(specs);
    return this;
  }

  @Override
  public Prepared prepare(LoadedModel model) {
    Path artifact = scratch.next();
    ModelCompiler.writeArtifact(
        model,
        artifact,
        ScratchArtifacts.sizes(model),
        Specs.overrides(kernelSpecs, model.simplified(), false),
        Schedule.defaults(ScheduleFiles.target(device.info())),
        fuse);
    Executable executable =
        Executable.load(artifact, device, cache, KernelBuilder.SILENT, warnings);
    return new CompiledCase(executable, artifact, List.of());
  }

  @Override
  public String name() {
    return device.info().name();
  }

  @Override
  public void close() {
    if (ownsDevice) {
      device.close();
    }
    scratch.close();
  }
}
