package oclc.codegen.opencl;

import java.util.ArrayList;
import java.util.List;
import oclc.artifact.Manifest.Argument;
import oclc.artifact.Manifest.Variant;
import oclc.ir.DType;
import oclc.ir.Dim;
import oclc.ir.Node;
import oclc.ir.TensorType;

/** Unary and broadcast binary float32 ops, and Where: one work-item per output element. */
final class ElementwiseLowering implements NodeLowering {
  @Override
  public List<Variant> lower(Node node, LoweringContext context) {
    String output = node.outputs().get(0);
    TensorType outputType = context.type(output);
    for (String input : node.inputs()) {
      DType t = context.dtype(input);
      boolean condition = node.opType().equals("Where") && input.equals(node.inputs().get(0));
      if (condition ? t != DType.BOOL : t != DType.FLOAT32) {
        throw new NotLowerableException("the elementwise kernels take float32 (and a bool condition), not "
            + t + " for '" + input + "'");
      }
    }
    if (node.opType().equals("Gelu") && node.attributes().getString("approximate", "none").equals("tanh")) {
      throw new NotLowerableException("the Gelu kernel computes the erf form, not approximate=tanh");
    }
    KernelSource kernel = ElementwiseKernels.lower(node, outputType).orElseThrow(
        () -> new NotLowerableException("no elementwise kernel for " + node.opType() + " on " + outputType.dtype()));
    List<Argument> arguments = new ArrayList<>();
    node.inputs().forEach(in -> arguments.add(context.read(in)));
    arguments.add(context.write(output));
    List<Dim> outputShape = outputType.shape().dims();
    if (node.inputs().size() == 1) {
      Dim count = Dims.product(outputShape);
      arguments.add(Scalars.of(count));
      return List.of(new Variant(kernel.kernelName(), List.of(),
          List.of(context.dispatch(kernel, arguments, List.of(count)))));
    }
    BroadcastGeometry geometry = BroadcastGeometry.of(outputShape,
        node.inputs().stream().map(context::shape).toList());
    arguments.addAll(Scalars.ints(geometry.scalarArguments()));
    return List.of(new Variant(kernel.kernelName(), List.of(),
        List.of(context.dispatch(kernel, arguments, geometry.globalSize()))));
  }
}
