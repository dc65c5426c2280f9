package oclc.cli;

import java.util.Map;
import oclc.ir.Tensor;

/** Something that runs a loaded model: the reference executor, or an OpenCL device. */
public interface Backend extends AutoCloseable {
  /** A model made ready to run (compiled and loaded, for a device). */
  interface Prepared extends AutoCloseable {
    Map<String, Tensor> run(Map<String, Tensor> inputs);

    @Override
    void close();
  }

  /** Prepares a model; throws {@link oclc.ir.UnsupportedFeatureException} when this backend cannot run it. */
  Prepared prepare(LoadedModel model);

  String name();

  @Override
  void close();
}
