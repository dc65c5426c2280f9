package oclc.codegen.opencl;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import oclc.artifact.Manifest.Argument;
import oclc.artifact.Manifest.Variant;
import oclc.ir.DType;
import oclc.ir.Dim;
import oclc.ir.Node;
import oclc.ir.Tensor;

/**
 * Range with bounds known at compile time, as dims (int64/int32: GPT-2's position ids run from
 * {@code past_sequence_length}) or as float constants.
 */
public final class RangeLowering implements NodeLowering {
  @Override
  public List<Variant> lower(Node node, LoweringContext context) {
    String output = node.outputs().get(0);
    DType type = context.dtype(output);
    String elementType =
        switch (type) {
          case INT64 -> "long";
          case INT32 -> "int";
          case FLOAT32 -> "float";
          default ->
              throw new NotLowerableException(
                  "the range kernel makes int64, int32 or float32, not " + type);
        };
    String kernelName = "range_" + elementType;
    KernelSource kernel =
        KernelSource.rendered("range", "range", kernelName, Map.of("elementType", elementType));
    Dim count = context.shape(output).get(0);
    List<Argument> arguments = new ArrayList<>(List.of(context.write(output), Scalars.of(count)));
    for (int input : new int[] {0, 2}) {
      arguments.add(scalar(context, node.inputs().get(input), type));
    }
    scalar(
        context,
        node.inputs().get(1),
        type); // a limit known only at run time leaves the count unbound
    return NodeLowering.single(context.dispatch(kernel, arguments, List.of(count)));
  }

  private static Argument scalar(LoweringContext context, String value, DType type) {
    if (type == DType.FLOAT32) {
      Tensor t =
          context
              .constant(value)
              .orElseThrow(
                  () ->
                      new NotLowerableException(
                          "a float Range needs constant bounds; '"
                              + value
                              + "' is known at run time"));
      return new Argument.Float(t.getFloat(0));
    }
    Dim d =
        context
            .dims(value)
            .orElseThrow(
                () ->
                    new NotLowerableException("Range's '" + value + "' is known only at run time"))
            .element(0);
    return type == DType.INT64 ? new Argument.Long(d) : new Argument.Int(d);
  }
}
