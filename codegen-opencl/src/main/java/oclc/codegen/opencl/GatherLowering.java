package oclc.codegen.opencl;

import java.util.List;
import oclc.artifact.Manifest.Variant;
import oclc.ir.DType;
import oclc.ir.Dim;
import oclc.ir.Node;
import oclc.ir.ops.Axes;

/** Gather along axis 0 with int64 indices (embedding lookups): the table seen as [rows, rowLength]. */
final class GatherLowering implements NodeLowering {
  @Override
  public List<Variant> lower(Node node, LoweringContext context) {
    String table = node.inputs().get(0);
    String indices = node.inputs().get(1);
    String output = node.outputs().get(0);
    List<Dim> tableShape = context.shape(table);
    if (tableShape.isEmpty() || Axes.normalize(node.attributes().getInt("axis", 0), tableShape.size()) != 0) {
      throw new NotLowerableException("the gather kernel takes rows (axis 0) only");
    }
    if (context.dtype(indices) != DType.INT64) {
      throw new NotLowerableException("the gather kernel takes int64 indices, not " + context.dtype(indices));
    }
    Dim rowLength = Dims.product(tableShape.subList(1, tableShape.size()));
    Dim count = Dims.product(context.shape(indices));
    KernelSource kernel = GatherKernels.rows(context.dtype(table));
    return List.of(new Variant(kernel.kernelName(), List.of(), List.of(context.dispatch(kernel,
        List.of(context.read(table), context.read(indices), context.write(output),
            Scalars.of(tableShape.get(0)), Scalars.of(rowLength)),
        GatherKernels.globalSize(rowLength, count)))));
  }
}
