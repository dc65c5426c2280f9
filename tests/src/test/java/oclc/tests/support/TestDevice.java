package oclc.tests.support;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import oclc.cache.KernelCache;
import oclc.compiler.LoadedModel;
import oclc.compiler.ModelCompiler;
import oclc.lowering.SizeRanges;
import oclc.runtime.Devices;
import oclc.runtime.Executable;
import oclc.runtime.KernelBuilder;
import oclc.runtime.OpenClContext;
import org.junit.jupiter.api.Assumptions;

/**
 * The OpenCL device the tests run on (the first one: POCL's CPU device here and in CI), opened once
 * per test JVM, and a kernel cache under target/ that the tests share.
 */
public final class TestDevice {
  private static OpenClContext context;

  private TestDevice() {}

  /** The device; skips without one, unless the run requires one (CI). */
  public static synchronized OpenClContext context() {
    if (context == null) {
      if (Devices.list().isEmpty()) {
        if ("true".equals(System.getenv("OCLC_REQUIRE_OPENCL"))) {
          throw new AssertionError(
              "no OpenCL device, and this run requires one (OCLC_REQUIRE_OPENCL)");
        }
        Assumptions.abort("no OpenCL device on this machine");
      }
      context = OpenClContext.open(Devices.list().getFirst());
    }
    return context;
  }

  public static KernelCache cache() {
    return new KernelCache(Path.of("target", "kernel-cache"));
  }

  /**
   * Compiles a model into {@code artifact} and loads it; warnings are collected into {@code
   * warnings}.
   */
  public static Executable compile(Path model, Path artifact, List<String> warnings) {
    ModelCompiler.writeArtifact(LoadedModel.load(model), artifact);
    return Executable.load(artifact, context(), cache(), KernelBuilder.SILENT, warnings::add);
  }

  /**
   * Compiles for these symbol ranges ({@code name -> "min..max"}), as {@code oclc compile --dim}
   * does.
   */
  public static Executable compile(Path model, Path artifact, Map<String, String> dims) {
    return compile(model, artifact, dims, true);
  }

  /** The same, fused ({@code --fuse}) or every node alone ({@code --no-fuse}). */
  public static Executable compile(
      Path model, Path artifact, Map<String, String> dims, boolean fuse) {
    LoadedModel loaded = LoadedModel.load(model);
    Map<String, SizeRanges.Interval> ranges = new LinkedHashMap<>();
    dims.forEach((name, range) -> ranges.put(name, SizeRanges.Interval.parse(range)));
    return compile(
        loaded, artifact, SizeRanges.forGraph(loaded.simplified(), ranges, Map.of(), true), fuse);
  }

  /** A model loaded (or made) here, compiled for {@code ranges} and loaded. */
  public static Executable compile(
      LoadedModel loaded, Path artifact, SizeRanges ranges, boolean fuse) {
    ModelCompiler.writeArtifact(
        loaded,
        artifact,
        ranges,
        oclc.codegen.opencl.KernelOverrides.none(),
        oclc.lowering.Schedule.defaults(),
        fuse);
    return Executable.load(artifact, context(), cache(), KernelBuilder.SILENT, w -> {});
  }

  public static Executable compile(Path model, Path artifact) {
    return compile(model, artifact, new ArrayList<>());
  }
}
