package oclc.codegen.opencl;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import oclc.ir.Dim;
import oclc.templates.KernelTemplates;

/**
 * Kernels over rows, one work-group per row: Softmax/LogSoftmax, ReduceMean and
 * LayerNormalization over the innermost axis. Java chooses the group size.
 */
public final class RowKernels {
  private static final String FAMILY = "rows";
  /** The group for long rows: enough lanes to share the row, few barriers. */
  static final int LONG_ROW_GROUP = 64;

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

  /** The group for rows of at most {@code longestRow}: the smallest power of two covering it, up to 16; 64 past 64. */
  public static int groupSize(long longestRow) {
    if (longestRow > 64) {
      return LONG_ROW_GROUP;
    }
    return (int) Math.min(16, Long.highestOneBit(Math.max(1, longestRow * 2 - 1)));
  }

  /** One group per row: the global size is rows × group size. */
  public static List<Dim> globalSize(Dim rows, int groupSize) {
    return List.of(rows.times(groupSize));
  }

  private static KernelSource render(String template, String kernelName, int groupSize, Map<String, Object> extra) {
    if (groupSize < 1 || Integer.bitCount(groupSize) != 1) {
      throw new IllegalArgumentException("the group size must be a power of two, not " + groupSize);
    }
    Map<String, Object> arguments = new HashMap<>(extra);
    arguments.put("kernelName", kernelName);
    arguments.put("groupSize", groupSize);
    return new KernelSource(kernelName, KernelTemplates.render(FAMILY, template, arguments));
  }
}
