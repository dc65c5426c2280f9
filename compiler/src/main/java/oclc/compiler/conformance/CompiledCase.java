package oclc.compiler.conformance;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import oclc.artifact.Folders;
import oclc.artifact.Manifest;
import oclc.ir.Tensor;
import oclc.runtime.CompiledModel;
import oclc.runtime.Session;

/**
 * A case's model compiled into a scratch artifact and loaded on a device backend (OpenCL or Java):
 * one session with poisoned buffers, so that an element no kernel writes shows in the outputs;
 * closing it removes the artifact.
 */
final class CompiledCase implements Backend.Prepared {
  private final CompiledModel model;
  private final Path artifact;
  private final List<String> fallbackOps;
  private final Session session;

  CompiledCase(CompiledModel model, Path artifact, List<String> fallbackOps) {
    this.model = model;
    this.artifact = artifact;
    this.fallbackOps = List.copyOf(fallbackOps);
    this.session = model.newSession().poisonBuffers(true);
  }

  @Override
  public Map<String, Tensor> run(Map<String, Tensor> inputs) {
    inputs.forEach(session::bind);
    session.run();
    Map<String, Tensor> outputs = new LinkedHashMap<>();
    for (Manifest.TensorSpec out : model.manifest().outputs()) {
      outputs.put(out.name(), session.output(out.name()));
    }
    return outputs;
  }

  @Override
  public List<String> fallbackOps() {
    return fallbackOps;
  }

  @Override
  public void close() {
    session.close();
    model.close();
    Folders.deleteTree(artifact);
  }
}
