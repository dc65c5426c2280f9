package oclc.codegen.opencl;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import oclc.artifact.Manifest.Argument;
import oclc.artifact.Manifest.Variant;
import oclc.ir.DType;
import oclc.ir.Dim;
import oclc.ir.Node;
import oclc.lowering.Dims;

/**
 * CumSum of float32, float64, int32 or int64 along an axis read from its int32/int64 input at run
 * time (it may be a graph input), exclusive and reverse as the attributes say: one work-item per
 * element ({@code scan.stg}), each summing its line up to itself.
 */
public final class CumSumLowering implements NodeLowering {
  @Override
  public List<Variant> lower(Node node, LoweringContext context) {
    String x = node.inputs().get(0);
    String axis = node.inputs().get(1);
    DType type = context.dtype(x);
    String elementType;
    String accumulatorType;
    switch (type) {
      case FLOAT32 -> {
        elementType = "float";
        accumulatorType = "float";
      }
      case FLOAT64 -> {
        elementType = "double";
        accumulatorType = "double";
      }
      case INT32 -> {
        elementType = "int";
        accumulatorType = "ulong";
      }
      case INT64 -> {
        elementType = "long";
        accumulatorType = "ulong";
      }
      default ->
          throw new NotLowerableException(
              "the CumSum kernel sums float32, float64, int32 or int64, not " + type);
    }
    DType axisType = context.dtype(axis);
    if (axisType != DType.INT32 && axisType != DType.INT64) {
      throw new NotLowerableException("CumSum's axis is int32 or int64, not " + axisType);
    }
    List<Dim> shape = context.shape(x);
    if (shape.isEmpty()) {
      throw new NotLowerableException("CumSum needs an input of rank 1 or more");
    }
    boolean exclusive = node.attributes().getInt("exclusive", 0) != 0;
    boolean reverse = node.attributes().getInt("reverse", 0) != 0;
    String kernelName =
        "cumsum_"
            + elementType
            + "_axis_"
            + (axisType == DType.INT64 ? "long" : "int")
            + "_rank"
            + shape.size()
            + (exclusive ? "_exclusive" : "")
            + (reverse ? "_reverse" : "");
    List<String> dims = IntStream.range(0, shape.size()).mapToObj(d -> "d" + d).toList();
    KernelSource kernel =
        KernelSource.rendered(
            "scan",
            "cumsum",
            kernelName,
            Map.of(
                "elementType", elementType,
                "accumulatorType", accumulatorType,
                "axisType", axisType == DType.INT64 ? "long" : "int",
                "dims", dims,
                "exclusive", exclusive,
                "reverse", reverse));
    Dim count = Dims.product(shape);
    List<Argument> arguments =
        new ArrayList<>(
            List.of(
                context.read(x),
                context.read(axis),
                context.write(node.outputs().get(0)),
                new Argument.Long(count)));
    shape.forEach(d -> arguments.add(new Argument.Long(d)));
    return NodeLowering.single(context.dispatch(kernel, arguments, List.of(count)));
  }
}
