package oclc.codegen.opencl;

import java.util.List;
import java.util.Map;
import oclc.ir.DType;
import oclc.ir.Dim;
import oclc.templates.KernelTemplates;

/** Gather of whole rows (axis 0), as embedding lookups do, for any element size. */
public final class GatherKernels {
  private GatherKernels() {}

  public static KernelSource rows(DType dtype) {
    String elementType = MovementKernels.bitsOf(dtype);
    String kernelName = "gather_rows_" + elementType;
    return new KernelSource(kernelName, KernelTemplates.render("gather", "gatherRows",
        Map.of("kernelName", kernelName, "elementType", elementType)));
  }

  /** One work-item per output element: row length × number of indices. */
  public static List<Dim> globalSize(Dim rowLength, Dim indexCount) {
    return List.of(rowLength, indexCount);
  }
}
