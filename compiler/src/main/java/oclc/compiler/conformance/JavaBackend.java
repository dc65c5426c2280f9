package oclc.compiler.conformance;

import java.nio.file.Path;
import java.util.List;
import oclc.artifact.Manifest;
import oclc.codegen.cpu.JavaLowering;
import oclc.compiler.LoadedModel;
import oclc.compiler.ModelCompiler;
import oclc.lowering.Schedule;
import oclc.runtime.cpu.JavaExecutable;

/**
 * The Java (Vector API) backend for conformance: each model compiled into a temporary artifact with
 * {@code --device java} and run through a session with poisoned buffers, as {@code oclc compile
 * --device java} + {@code oclc run} would.
 */
public final class JavaBackend implements Backend {
  private final ScratchArtifacts scratch;
  private final int threads;

  public JavaBackend() {
    this(JavaExecutable.defaultThreads());
  }

  public JavaBackend(int threads) {
    this.threads = threads;
    this.scratch = new ScratchArtifacts("oclc-java-artifacts");
  }

  @Override
  public Prepared prepare(LoadedModel model) {
    Path artifact = scratch.next();
    ModelCompiler.writeJavaArtifact(
        model, artifact, ScratchArtifacts.sizes(model), Schedule.defaults());
    JavaExecutable executable = JavaExecutable.load(artifact, threads, w -> {});
    List<String> fallbackOps =
        JavaLowering.fallbackNodes(executable.manifest()).stream()
            .map(Manifest.NodeLaunches::opType)
            .distinct()
            .sorted()
            .toList();
    return new CompiledCase(executable, artifact, fallbackOps);
  }

  @Override
  public String name() {
    return "java";
  }

  @Override
  public void close() {
    scratch.close();
  }
}
