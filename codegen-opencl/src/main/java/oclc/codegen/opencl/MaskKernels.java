package oclc.codegen.opencl;

import java.util.Map;
import oclc.ir.DType;

/** The kernels of {@code masks.stg}: Trilu and OneHot, for any element size. */
public final class MaskKernels {
  private MaskKernels() {}

  /**
   * Trilu keeping the upper (or lower) triangle; the diagonal offset a scalar or a buffer's first
   * element.
   */
  public static KernelSource trilu(DType dtype, boolean upper, boolean diagonalInBuffer) {
    String elementType = MovementKernels.bitsOf(dtype);
    String kernelName = (upper ? "triu_" : "tril_") + elementType + (diagonalInBuffer ? "_k" : "");
    return KernelSource.rendered(
        "masks",
        "trilu",
        kernelName,
        Map.of("elementType", elementType, "upper", upper, "diagonalInBuffer", diagonalInBuffer));
  }

  /**
   * OneHot with indices of {@code indexType} (int32, int64 or float32, truncated as the spec says).
   */
  public static KernelSource oneHot(DType dtype, DType indexType) {
    String elementType = MovementKernels.bitsOf(dtype);
    String index =
        switch (indexType) {
          case INT64 -> "long";
          case INT32 -> "int";
          case FLOAT32 -> "float";
          default ->
              throw new NotLowerableException(
                  "the one-hot kernel takes int32, int64 or float32 indices, not " + indexType);
        };
    String kernelName = "one_hot_" + elementType + "_" + index;
    return KernelSource.rendered(
        "masks", "oneHot", kernelName, Map.of("elementType", elementType, "indexType", index));
  }
}
