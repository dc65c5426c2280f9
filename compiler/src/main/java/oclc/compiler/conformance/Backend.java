package oclc.compiler.conformance;

import java.util.Map;
import java.util.function.Consumer;
import oclc.cache.KernelCache;
import oclc.compiler.DeviceChoice;
import oclc.compiler.LoadedModel;
import oclc.ir.Tensor;

/**
 * Something that runs a loaded model: the reference executor, an OpenCL device or the Java kernels.
 */
public interface Backend extends AutoCloseable {
  /** A model made ready to run (compiled and loaded, for a device). */
  interface Prepared extends AutoCloseable {
    Map<String, Tensor> run(Map<String, Tensor> inputs);

    /**
     * The op types of the nodes computed through the Java backend's reference fallback, sorted;
     * none elsewhere.
     */
    default java.util.List<String> fallbackOps() {
      return java.util.List.of();
    }

    @Override
    void close();
  }

  /**
   * Prepares a model; throws {@link oclc.ir.UnsupportedFeatureException} when this backend cannot
   * run it.
   */
  Prepared prepare(LoadedModel model);

  String name();

  /**
   * The backend a device name names ({@link DeviceChoice}): the reference executor, the Java
   * backend, or an OpenCL device (its kernels from {@code cache}); {@code warnings} hears notices
   * too.
   */
  static Backend open(String device, KernelCache cache, Consumer<String> warnings) {
    String resolved =
        device.equals(DeviceChoice.REFERENCE) || device.equals(DeviceChoice.JAVA)
            ? device
            : DeviceChoice.resolve(device, warnings);
    return switch (resolved) {
      case DeviceChoice.REFERENCE -> new ReferenceBackend();
      case DeviceChoice.JAVA -> new JavaBackend();
      default -> new OpenClBackend(resolved, cache, warnings);
    };
  }

  @Override
  void close();
}
