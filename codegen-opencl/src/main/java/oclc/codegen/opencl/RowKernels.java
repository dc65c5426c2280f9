package oclc.codegen.opencl;

import java.util.Map;
import oclc.templates.KernelTemplates;

/**
 * Kernels over rows, one work-group per row: Softmax/LogSoftmax, ReduceMean and
 * LayerNormalization over the innermost axis. Java chooses the group size.
 */
public final class RowKernels {
  private static final String FAMILY = "rows";

  private RowKernels() {}

  public static KernelSource softmax(String kernelName, int groupSize, boolean logarithm) {
    return render("softmax", kernelName, groupSize, Map.of("logarithm", logarithm));
  }

  public static KernelSource mean(String kernelName, int groupSize) {
    return render("mean", kernelName, groupSize, Map.of());
  }

  public static KernelSource layerNormalization(String kernelName, int groupSize) {
    return render("layerNormalization", kernelName, groupSize, Map.of());
  }

  /** One group per row: the global size is rows × group size. */
  public static long[] globalSize(long rows, int groupSize) {
    return new long[] {rows * groupSize};
  }

  private static KernelSource render(String template, String kernelName, int groupSize, Map<String, Object> extra) {
    if (groupSize < 1 || Integer.bitCount(groupSize) != 1) {
      throw new IllegalArgumentException("the group size must be a power of two, not " + groupSize);
    }
    Map<String, Object> arguments = new java.util.HashMap<>(extra);
    arguments.put("kernelName", kernelName);
    arguments.put("groupSize", groupSize);
    return new KernelSource(kernelName, KernelTemplates.render(FAMILY, template, arguments));
  }
}
