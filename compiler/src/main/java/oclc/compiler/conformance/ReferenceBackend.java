package oclc.compiler.conformance;

import java.util.Map;
import oclc.compiler.LoadedModel;
import oclc.ir.Tensor;
import oclc.ir.exec.ReferenceExecutor;

/** The scalar reference executor as a backend. */
final class ReferenceBackend implements Backend {
  @Override
  public Prepared prepare(LoadedModel model) {
    return new Prepared() {
      @Override
      public Map<String, Tensor> run(Map<String, Tensor> inputs) {
        return new ReferenceExecutor().run(model.simplified(), inputs);
      }

      @Override
      public void close() {}
    };
  }

  @Override
  public String name() {
    return "reference";
  }

  @Override
  public void close() {}
}
