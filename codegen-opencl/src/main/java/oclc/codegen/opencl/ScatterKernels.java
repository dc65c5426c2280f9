package oclc.codegen.opencl;

import java.util.List;
import java.util.Map;
import oclc.ir.DType;

/**
 * The kernels of {@code scatter.stg}. Without a reduction they move bits, for any element size;
 * add, mul, max and min compute, for float32, int32 and int64.
 */
public final class ScatterKernels {
  private ScatterKernels() {}

  /** ScatterElements (and Scatter) along a strided axis. */
  public static KernelSource axis(DType dtype, DType indexType, String reduction) {
    return GatherKernels.indexed(
        "scatter",
        "scatterAxis",
        "scatter_elements_",
        elementType(dtype, reduction),
        indexType,
        "_" + reduction,
        Map.of("reduction", combineKey(dtype, reduction)));
  }

  /** ScatterND whose index tuples address the first {@code depth} axes. */
  public static KernelSource nd(DType dtype, DType indexType, String reduction, int depth) {
    return GatherKernels.indexed(
        "scatter",
        "scatterNd",
        "scatter_nd_d" + depth + "_",
        elementType(dtype, reduction),
        indexType,
        "_" + reduction,
        Map.of("reduction", combineKey(dtype, reduction), "depths", GatherKernels.depths(depth)));
  }

  private static String elementType(DType dtype, String reduction) {
    if (reduction.equals("none")) {
      return MovementKernels.bitsOf(dtype);
    }
    if (!List.of("add", "mul", "max", "min").contains(reduction)) {
      throw new NotLowerableException("no scatter kernel for reduction '" + reduction + "'");
    }
    return switch (dtype) {
      case FLOAT32 -> "float";
      case INT32 -> "int";
      case INT64 -> "long";
      default ->
          throw new NotLowerableException(
              "scatters with reduction '"
                  + reduction
                  + "' take float32, int32 or int64, not "
                  + dtype);
    };
  }

  /**
   * The key of {@code combine} in scatter.stg: max and min differ between floats (NaN wins) and
   * integers.
   */
  private static String combineKey(DType dtype, String reduction) {
    return switch (reduction) {
      case "max", "min" -> reduction + (dtype == DType.FLOAT32 ? "Float" : "Integer");
      default -> reduction;
    };
  }
}
