package oclc.runtime;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Consumer;
import oclc.artifact.Artifact;
import oclc.artifact.KernelSources;
import oclc.artifact.Manifest;
import oclc.artifact.Manifest.BufferKind;
import oclc.artifact.Manifest.BufferSpec;
import oclc.cache.KernelCache;
import org.jocl.CL;
import org.jocl.CLException;
import org.jocl.Pointer;
import org.jocl.cl_mem;

/**
 * A compiled model loaded onto one device: a program for every kernel (from the kernel cache when
 * it can) and the weights in read-only buffers over the mapped params.bin (in place on a CPU
 * device, copied once to any other). Sessions share it; each has its own activations.
 */
public final class Executable implements CompiledModel {
  private final Artifact artifact;
  private final OpenClContext device;
  private final KernelBuilder.Programs programs;
  private final Map<String, cl_mem> params;
  private final ParamsCheck paramsCheck;

  /**
   * What each node's plan depends on (in the manifest's order), for every session's {@link
   * PlanReuse}.
   */
  private final List<Optional<PlanReuse.Dependencies>> planDependencies;

  /** Whether closing this also closes {@code device}: it does when {@link #open} opened it. */
  private final boolean ownsDevice;

  private Executable(
      Artifact artifact,
      OpenClContext device,
      KernelBuilder.Programs programs,
      Map<String, cl_mem> params,
      List<Optional<PlanReuse.Dependencies>> planDependencies,
      boolean ownsDevice) {
    this.artifact = artifact;
    this.device = device;
    this.programs = programs;
    this.params = params;
    this.paramsCheck = ParamsCheck.of(artifact);
    this.planDependencies = planDependencies;
    this.ownsDevice = ownsDevice;
  }

  /**
   * Opens the device {@code deviceSpec} names (as {@link Devices#select} takes it) and loads an
   * artifact onto it; closing the executable closes the device.
   */
  public static Executable open(
      Path directory,
      String deviceSpec,
      KernelCache cache,
      KernelBuilder.Progress progress,
      Consumer<String> warnings) {
    SignalChaining.warnIfOff(warnings);
    CompletableFuture<OpenClContext> opening =
        CompletableFuture.supplyAsync(() -> OpenClContext.open(Devices.select(deviceSpec)));
    try {
      requireOpenCl(
          directory,
          Artifact.backendOf(directory)); // before Java kernels could be built as OpenCL C
    } catch (RuntimeException e) {
      opening.thenAccept(OpenClContext::close);
      throw e;
    }
    return loadOverlapped(directory, opening, cache, progress, warnings);
  }

  /**
   * Loads an artifact with the default kernel cache ({@code $OCLC_CACHE_DIR} or ~/.cache/oclc);
   * warnings go to stderr.
   */
  public static Executable load(Path directory, OpenClContext device) {
    return load(
        directory,
        device,
        new KernelCache(KernelCache.defaultDirectory(System.getenv())),
        KernelBuilder.SILENT,
        warning -> System.err.println("warning: " + warning));
  }

  /**
   * Loads an artifact; kernels come from {@code cache} (or the artifact's embedded binaries) or are
   * built. Unlike {@link #open}, it reads the whole artifact before it makes the programs: on
   * compile's path builds from source take seconds, so overlapping gains nothing, and fewer threads
   * in compiled code during a build leave fewer moments for what {@link SignalChaining} guards.
   */
  public static Executable load(
      Path directory,
      OpenClContext device,
      KernelCache cache,
      KernelBuilder.Progress progress,
      Consumer<String> warnings) {
    SignalChaining.warnIfOff(warnings);
    Artifact artifact = Artifact.read(directory, warnings);
    requireOpenCl(directory, artifact.manifest().backend());
    KernelBuilder.Programs programs =
        KernelBuilder.build(
            artifact.kernelSources(),
            device,
            cache,
            new KernelCache(directory.resolve(Artifact.BINARIES)),
            progress,
            warnings);
    return withParams(
        artifact, device, programs, PlanReuse.dependenciesOfNodes(artifact.manifest()), false);
  }

  /**
   * The waits of a warm start overlap: the driver's start-up and then the kernels' binaries (their
   * sources read first, from the head of the manifest) on other threads, the rest of the manifest,
   * which takes longest on a cold JVM, and what the nodes' plans depend on, on this one. The device
   * is the executable's own.
   */
  private static Executable loadOverlapped(
      Path directory,
      CompletableFuture<OpenClContext> opening,
      KernelCache cache,
      KernelBuilder.Progress progress,
      Consumer<String> warnings) {
    CompletableFuture<KernelBuilder.Programs> building = null;
    Artifact artifact;
    List<Optional<PlanReuse.Dependencies>> planDependencies;
    try {
      KernelSources sources = KernelSources.read(directory);
      KernelCache embedded = new KernelCache(directory.resolve(Artifact.BINARIES));
      building =
          opening.thenApplyAsync(
              device -> KernelBuilder.build(sources, device, cache, embedded, progress, warnings));
      artifact = Artifact.read(directory, sources, warnings);
      planDependencies = PlanReuse.dependenciesOfNodes(artifact.manifest());
    } catch (RuntimeException e) {
      // What the other threads make is released once they are done with it.
      CompletableFuture<?> made =
          building == null ? opening : building.thenAccept(KernelBuilder.Programs::release);
      made.whenComplete((ignored, failure) -> opening.thenAccept(OpenClContext::close));
      throw e;
    }
    OpenClContext device = joined(opening);
    KernelBuilder.Programs programs;
    try {
      programs = joined(building);
    } catch (RuntimeException e) {
      device.close();
      throw e;
    }
    return withParams(artifact, device, programs, planDependencies, true);
  }

  /**
   * The executable of loaded programs, with a buffer per param; on a failure what it holds is
   * released.
   */
  private static Executable withParams(
      Artifact artifact,
      OpenClContext device,
      KernelBuilder.Programs programs,
      List<Optional<PlanReuse.Dependencies>> planDependencies,
      boolean ownsDevice) {
    Map<String, cl_mem> params = new LinkedHashMap<>();
    try {
      for (BufferSpec b : artifact.manifest().buffers()) {
        if (b.kind() == BufferKind.PARAM) {
          params.put(b.name(), upload(device, artifact.paramBytes(b), b.name()));
        }
      }
    } catch (RuntimeException e) {
      params.values().forEach(device::releaseBuffer);
      programs.release();
      if (ownsDevice) {
        device.close();
      }
      throw e;
    }
    return new Executable(artifact, device, programs, params, planDependencies, ownsDevice);
  }

  /** A future's value, or the exception it failed with. */
  private static <T> T joined(CompletableFuture<T> future) {
    try {
      return future.join();
    } catch (CompletionException e) {
      throw e.getCause() instanceof RuntimeException cause ? cause : e;
    }
  }

  private static void requireOpenCl(Path directory, String backend) {
    if (!backend.equals(Manifest.OPENCL)) {
      throw new oclc.ir.OclcException(
          directory + " was compiled for the " + backend + " backend, not for OpenCL",
          oclc.ir.Remedy.USE_DEVICE,
          backend);
    }
  }

  private static cl_mem upload(OpenClContext device, ByteBuffer bytes, String name) {
    try {
      if (bytes.remaining() == 0) {
        return device.createBuffer(CL.CL_MEM_READ_ONLY, 4, null);
      }
      // A CPU device reads host memory: it can use the mapping itself, which saves a copy of every
      // weight (623 MB for GPT-2 small) at each start; the pages come in from the page cache at
      // first use.
      long hostMemory =
          device.info().kind() == DeviceInfo.Kind.CPU
              ? CL.CL_MEM_USE_HOST_PTR
              : CL.CL_MEM_COPY_HOST_PTR;
      return device.createBuffer(
          CL.CL_MEM_READ_ONLY | hostMemory, bytes.remaining(), Pointer.to(bytes));
    } catch (CLException e) {
      throw new OpenClException(
          "clCreateBuffer for param '"
              + name
              + "' ("
              + bytes.remaining()
              + " bytes) failed on "
              + device.info().name()
              + ": "
              + e.getMessage(),
          e);
    }
  }

  @Override
  public Manifest manifest() {
    return artifact.manifest();
  }

  public Artifact artifact() {
    return artifact;
  }

  public OpenClContext device() {
    return device;
  }

  /** How each kernel's program was made (built, cached, …). */
  public KernelBuilder.Programs programs() {
    return programs;
  }

  @Override
  public String deviceName() {
    return device.info().name();
  }

  /** A new session with its own buffers. */
  @Override
  public Session newSession() {
    return Session.open(manifest(), planDependencies, new OpenClBackend(this), paramsCheck);
  }

  @Override
  public ParamsCheck paramsCheck() {
    return paramsCheck;
  }

  cl_mem param(String name) {
    return params.get(name);
  }

  @Override
  public void close() {
    params.values().forEach(device::releaseBuffer);
    programs.release();
    if (ownsDevice) {
      device.close();
    }
  }
}
