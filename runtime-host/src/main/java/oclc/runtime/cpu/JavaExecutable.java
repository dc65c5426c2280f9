package oclc.runtime.cpu;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import oclc.artifact.Artifact;
import oclc.artifact.Manifest;
import oclc.artifact.Manifest.BufferKind;
import oclc.artifact.Manifest.BufferSpec;
import oclc.codegen.cpu.JavaKernelSpec;
import oclc.codegen.cpu.linalg.WorkerPool;
import oclc.ir.OclcException;
import oclc.ir.Remedy;
import oclc.runtime.CompiledModel;
import oclc.runtime.ParamsCheck;
import oclc.runtime.PlanReuse;
import oclc.runtime.Session;

/**
 * An artifact compiled for the Java backend, loaded: the kernel descriptions read from kernels/,
 * and params.bin copied once into one float array (the weights already packed for their kernels),
 * shared by every session. Nothing of OpenCL is touched.
 */
public final class JavaExecutable implements CompiledModel {
  private final Artifact artifact;
  private final Map<String, JavaKernelSpec> kernels;
  private final float[] params;
  private final MemorySegment paramSegment;
  private final int threads;
  private final ParamsCheck paramsCheck;

  /**
   * What each node's plan depends on (in the manifest's order), for every session's {@link
   * PlanReuse}.
   */
  private final List<Optional<PlanReuse.Dependencies>> planDependencies;

  private JavaExecutable(
      Artifact artifact, Map<String, JavaKernelSpec> kernels, float[] params, int threads) {
    this.artifact = artifact;
    this.kernels = kernels;
    this.params = params;
    this.paramSegment = MemorySegment.ofArray(params);
    this.threads = threads;
    this.paramsCheck = ParamsCheck.of(artifact);
    this.planDependencies = PlanReuse.dependenciesOfNodes(artifact.manifest());
  }

  /**
   * Loads with {@link #defaultThreads()} worker threads; warnings (an edited kernel file) go to
   * stderr.
   */
  public static JavaExecutable load(Path directory) {
    return load(directory, defaultThreads(), w -> System.err.println("warning: " + w));
  }

  /**
   * The threads a session splits launches over: {@code $OCLC_THREADS} (or the system property
   * {@code oclc.threads}) where set, else one per core.
   */
  public static int defaultThreads() {
    String given = System.getProperty("oclc.threads", System.getenv("OCLC_THREADS"));
    if (given == null || given.isBlank()) {
      return WorkerPool.defaultThreads();
    }
    try {
      return Math.max(1, Integer.parseInt(given.strip()));
    } catch (NumberFormatException e) {
      throw new OclcException(
          "OCLC_THREADS (oclc.threads) must be a number of threads, not '" + given + "'");
    }
  }

  /**
   * Loads an artifact compiled with {@code --device java}; sessions split large launches over
   * {@code threads}.
   */
  public static JavaExecutable load(Path directory, int threads, Consumer<String> warnings) {
    if (ModuleLayer.boot().findModule("jdk.incubator.vector").isEmpty()) {
      // The oclc launcher leaves the module out for OpenCL runs, which start faster without it.
      throw new OclcException(
          "the Java backend needs the Vector API: start the JVM with --add-modules "
              + "jdk.incubator.vector (the oclc launcher adds it whenever the Java backend runs)");
    }
    Artifact artifact = Artifact.read(directory, warnings);
    Manifest manifest = artifact.manifest();
    if (!manifest.backend().equals(Manifest.JAVA)) {
      throw new OclcException(
          directory + " was compiled for the " + manifest.backend() + " backend, not for Java",
          Remedy.USE_DEVICE,
          manifest.backend());
    }
    Map<String, JavaKernelSpec> kernels = new LinkedHashMap<>();
    for (Manifest.KernelFile kernel : manifest.kernels()) {
      try {
        kernels.put(kernel.name(), JavaKernelSpec.read(artifact.kernelSource(kernel.name())));
      } catch (IOException e) {
        throw new OclcException(
            directory
                + ": kernels/"
                + kernel.file()
                + " is not a Java kernel description: "
                + e.getMessage().lines().findFirst().orElse(""),
            e);
      }
    }
    long bytes = 0;
    for (BufferSpec b : manifest.buffers()) {
      if (b.kind() == BufferKind.PARAM) {
        bytes = Math.max(bytes, b.offset() + b.bytes());
      }
    }
    if (bytes / Float.BYTES > Integer.MAX_VALUE - 8) {
      throw new OclcException(
          directory + ": params of " + bytes + " bytes exceed what one Java array holds");
    }
    float[] params = new float[(int) ((bytes + Float.BYTES - 1) / Float.BYTES)];
    MemorySegment into = MemorySegment.ofArray(params);
    for (BufferSpec b : manifest.buffers()) {
      if (b.kind() == BufferKind.PARAM && b.bytes() > 0) {
        MemorySegment.copy(
            MemorySegment.ofBuffer(artifact.paramBytes(b)), 0, into, b.offset(), b.bytes());
      }
    }
    return new JavaExecutable(artifact, kernels, params, Math.max(1, threads));
  }

  @Override
  public Manifest manifest() {
    return artifact.manifest();
  }

  public Artifact artifact() {
    return artifact;
  }

  @Override
  public String deviceName() {
    return "java (Vector API, " + threads + " thread" + (threads == 1 ? "" : "s") + ")";
  }

  @Override
  public Session newSession() {
    return Session.open(manifest(), planDependencies, new JavaBackend(this), paramsCheck);
  }

  @Override
  public ParamsCheck paramsCheck() {
    return paramsCheck;
  }

  JavaKernelSpec kernel(String name) {
    JavaKernelSpec spec = kernels.get(name);
    if (spec == null) {
      throw new OclcException(
          artifact.directory() + ": the manifest names no Java kernel '" + name + "'");
    }
    return spec;
  }

  float[] params() {
    return params;
  }

  MemorySegment paramSegment() {
    return paramSegment;
  }

  int threads() {
    return threads;
  }

  @Override
  public void close() {}
}
