package oclc.codegen.cpu;

import static oclc.codegen.cpu.JavaVariants.elements;
import static oclc.codegen.cpu.JavaVariants.oneDispatch;

import java.util.List;
import java.util.Optional;
import oclc.artifact.Manifest.Variant;
import oclc.ir.DType;
import oclc.ir.Node;
import oclc.ir.ops.Axes;

/** The Java side of the gather family: Gather along an axis, any element type. */
public final class JavaGathers {
  private JavaGathers() {}

  public static final JavaFamily FAMILY =
      JavaFamily.builder().op("Gather", "java", JavaGathers::gather).build();

  private static Optional<List<Variant>> gather(Node node, JavaLowering context) {
    String data = node.inputs().get(0);
    DType indices = context.dtype(node.inputs().get(1));
    if (context.dtype(data) == DType.STRING || (indices != DType.INT64 && indices != DType.INT32)) {
      return Optional.empty();
    }
    int rank = context.shape(data).size();
    int axis = Axes.normalize(node.attributes().getInt("axis", 0), rank);
    String kernel = context.kernel("gather_axis" + axis, new JavaKernelSpec.Gather(axis));
    return oneDispatch(kernel, node, context, elements(context, node.inputs().get(1)));
  }
}
