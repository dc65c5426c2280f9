package oclc.cli;

import java.util.Map;
import oclc.ir.Tensor;

/** Something that runs a loaded model: the reference executor, an OpenCL device or the Java kernels. */
public interface Backend extends AutoCloseable {
  /** A model made ready to run (compiled and loaded, for a device). */
  interface Prepared extends AutoCloseable {
    Map<String, Tensor> run(Map<String, Tensor> inputs);

    /** The op types of the nodes computed through the Java backend's reference fallback, sorted; none elsewhere. */
    default java.util.List<String> fallbackOps() {
      return java.util.List.of();
    }

    @Override
    void close();
  }

  /** Prepares a model; throws {@link oclc.ir.UnsupportedFeatureException} when this backend cannot run it. */
  Prepared prepare(LoadedModel model);

  String name();

  @Override
  void close();
}
