package oclc.codegen.opencl;

import java.util.List;
import java.util.Map;
import oclc.ir.DType;
import oclc.ir.Dim;

/**
 * Gathers for any element size: whole rows (axis 0, int64 indices: embedding lookups) and, for
 * every other axis, index type and GatherElements, the strided {@code gatherAxis} kernel.
 */
public final class GatherKernels {
  private GatherKernels() {}

  public static KernelSource rows(DType dtype) {
    String elementType = MovementKernels.bitsOf(dtype);
    String kernelName = "gather_rows_" + elementType;
    return KernelSource.rendered(
        "gather", "gatherRows", kernelName, Map.of("elementType", elementType));
  }

  /** One work-item per output element: row length × number of indices. */
  public static List<Dim> globalSize(Dim rowLength, Dim indexCount) {
    return List.of(rowLength, indexCount);
  }

  /** Gather along a strided axis with indices of {@code indexType} (int32 or int64). */
  public static KernelSource axis(DType dtype, DType indexType) {
    return indexed(
        "gather",
        "gatherAxis",
        "gather_axis_",
        MovementKernels.bitsOf(dtype),
        indexType,
        "",
        Map.of());
  }

  /** GatherND whose index tuples address {@code depth} axes after the batch axes. */
  public static KernelSource nd(DType dtype, DType indexType, int depth) {
    return indexed(
        "gather",
        "gatherNd",
        "gather_nd_d" + depth + "_",
        MovementKernels.bitsOf(dtype),
        indexType,
        "",
        Map.of("depths", depths(depth)));
  }

  /**
   * A gather or scatter kernel over elements of {@code elementType} and indices of {@code
   * indexType}, both named in the kernel's name ({@code prefix}, then them, then {@code suffix})
   * and given to the template with {@code more}.
   */
  static KernelSource indexed(
      String family,
      String template,
      String prefix,
      String elementType,
      DType indexType,
      String suffix,
      Map<String, Object> more) {
    String index = indexTypeOf(indexType);
    Map<String, Object> arguments = new java.util.HashMap<>(more);
    arguments.put("elementType", elementType);
    arguments.put("indexType", index);
    return KernelSource.rendered(
        family, template, prefix + elementType + "_" + index + suffix, arguments);
  }

  /** The axes an ND kernel's index tuples address: 0 to {@code depth} - 1. */
  static List<Integer> depths(int depth) {
    return java.util.stream.IntStream.range(0, depth).boxed().toList();
  }

  /** The OpenCL type of an index buffer: int32 or int64. */
  static String indexTypeOf(DType indexType) {
    return switch (indexType) {
      case INT64 -> "long";
      case INT32 -> "int";
      default ->
          throw new NotLowerableException("indices must be int32 or int64, not " + indexType);
    };
  }
}
