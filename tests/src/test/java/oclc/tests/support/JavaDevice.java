package oclc.tests.support;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import oclc.compiler.LoadedModel;
import oclc.compiler.ModelCompiler;
import oclc.lowering.Schedule;
import oclc.lowering.SizeRanges;
import oclc.runtime.cpu.JavaExecutable;

/**
 * Artifacts for the Java backend, compiled as {@code oclc compile --device java --dim ...} does.
 */
public final class JavaDevice {
  /** Two worker threads: the machine's cores, and enough to run the split paths of every kernel. */
  public static final int THREADS = 2;

  private JavaDevice() {}

  /**
   * Compiles for every size the model allows (symbols it leaves unbounded stay open), as a
   * conformance run does.
   */
  public static JavaExecutable compile(Path model, Path artifact) {
    LoadedModel loaded = LoadedModel.load(model);
    ModelCompiler.writeJavaArtifact(
        loaded,
        artifact,
        SizeRanges.forGraph(loaded.simplified(), Map.of(), Map.of(), false),
        Schedule.defaults());
    return JavaExecutable.load(artifact, THREADS, w -> {});
  }

  /**
   * Compiles for these symbol ranges ({@code name -> "min..max"}), nothing fused, and loads the
   * artifact.
   */
  public static JavaExecutable compile(Path model, Path artifact, Map<String, String> dims) {
    return compile(model, artifact, dims, false);
  }

  /** The same, with {@code fuse} as {@code compile --fuse} (the default) or {@code --no-fuse}. */
  public static JavaExecutable compile(
      Path model, Path artifact, Map<String, String> dims, boolean fuse) {
    LoadedModel loaded = LoadedModel.load(model);
    Map<String, SizeRanges.Interval> ranges = new LinkedHashMap<>();
    dims.forEach((name, range) -> ranges.put(name, SizeRanges.Interval.parse(range)));
    return compile(
        loaded, artifact, SizeRanges.forGraph(loaded.simplified(), ranges, Map.of(), true), fuse);
  }

  /** A model loaded (or made) here, compiled for {@code ranges} and loaded. */
  public static JavaExecutable compile(
      LoadedModel loaded, Path artifact, SizeRanges ranges, boolean fuse) {
    ModelCompiler.writeJavaArtifact(loaded, artifact, ranges, Schedule.defaults(), fuse);
    return JavaExecutable.load(artifact, THREADS, w -> {});
  }
}
