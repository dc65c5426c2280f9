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
    String elementType = MovementKernels.bitsOf(dtype);
    String index = indexTypeOf(indexType);
    String kernelName = "gather_axis_" + elementType + "_" + index;
    return KernelSource.rendered(
        "gather", "gatherAxis", kernelName, Map.of("elementType", elementType, "indexType", index));
  }

  /** GatherND whose index tuples address {@code depth} axes after the batch axes. */
  public static KernelSource nd(DType dtype, DType indexType, int depth) {
    String elementType = MovementKernels.bitsOf(dtype);
    String index = indexTypeOf(indexType);
    String kernelName = "gather_nd_d" + depth + "_" + elementType + "_" + index;
    return KernelSource.rendered(
        "gather",
        "gatherNd",
        kernelName,
        Map.of(
            "elementType",
            elementType,
            "indexType",
            index,
            "depths",
            java.util.stream.IntStream.range(0, depth).boxed().toList()));
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
