package oclc.codegen.opencl;

import java.util.Map;
import oclc.ir.DType;
import oclc.lowering.CopyGeometry;

/**
 * The strided-copy kernels of {@code movement.stg}, one per element size and axis count, and the
 * run form.
 */
public final class MovementKernels {
  private MovementKernels() {}

  /** The kernel that copies elements of {@code dtype}: only their size matters. */
  public static KernelSource stridedCopy(DType dtype) {
    String elementType = bitsOf(dtype);
    String kernelName = "strided_copy_" + elementType;
    return KernelSource.rendered(
        "movement", "stridedCopy", kernelName, Map.of("elementType", elementType));
  }

  /**
   * The copy kernel for a geometry of {@code axisCount} axes (4 or 8) over elements of {@code
   * dtype}.
   */
  public static KernelSource stridedCopy(DType dtype, int axisCount) {
    if (axisCount == 4) {
      return stridedCopy(dtype);
    }
    String elementType = bitsOf(dtype);
    String kernelName = "strided_copy8_" + elementType;
    return KernelSource.rendered(
        "movement", "wideStridedCopy", kernelName, Map.of("elementType", elementType));
  }

  /**
   * The copy kernel for {@code geometry}: vector runs where its innermost axis is contiguous in the
   * output (read with one vector load where it is in the input too, else gathered along its
   * stride).
   */
  public static KernelSource stridedCopy(DType dtype, CopyGeometry geometry) {
    if (!geometry.outputRuns()) {
      return stridedCopy(dtype, geometry.axisCount());
    }
    String elementType = bitsOf(dtype);
    boolean gather = !geometry.contiguousRuns();
    String kernelName =
        (gather ? "gather_run_copy_" : "run_copy_") + elementType + CopyGeometry.RUN;
    return KernelSource.rendered(
        "movement",
        "runCopy",
        kernelName,
        Map.of(
            "elementType",
            elementType,
            "run",
            CopyGeometry.RUN,
            "lanes",
            MatMulKernels.lanes(CopyGeometry.RUN),
            "gather",
            gather));
  }

  /** The unsigned OpenCL type of an element's size: what kernels that only move bits use. */
  static String bitsOf(DType dtype) {
    return switch (dtype.byteSize()) {
      case 1 -> "uchar";
      case 2 -> "ushort";
      case 4 -> "uint";
      case 8 -> "ulong";
      default -> throw new IllegalArgumentException("no OpenCL type moves elements of " + dtype);
    };
  }
}
