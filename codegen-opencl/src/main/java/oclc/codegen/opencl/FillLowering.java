package oclc.codegen.opencl;

import java.util.List;
import java.util.Map;
import oclc.artifact.Manifest.Argument;
import oclc.artifact.Manifest.Variant;
import oclc.ir.Dim;
import oclc.ir.Node;
import oclc.lowering.Dims;
import oclc.lowering.FillValue;

/**
 * ConstantOfShape: its output's (symbolic) shape from the folded shape input, every element the
 * value attribute ({@code fill.stg}). The kernel stores the value's bits, so one kernel per element
 * width serves every type.
 */
public final class FillLowering implements NodeLowering {
  @Override
  public List<Variant> lower(Node node, LoweringContext context) {
    FillValue value = FillValue.of(node);
    String bitsType =
        switch (value.byteSize()) {
          case 1 -> "char";
          case 2 -> "short";
          case 4 -> "int";
          case 8 -> "long";
          default ->
              throw new NotLowerableException(
                  "the fill kernel stores elements of 1, 2, 4 or 8 bytes, not " + value.byteSize());
        };
    boolean wide = value.byteSize() == 8;
    String kernelName = "fill_b" + 8 * value.byteSize();
    KernelSource kernel =
        KernelSource.rendered(
            "fill",
            "fill",
            kernelName,
            Map.of("bitsType", bitsType, "valueType", wide ? "long" : "int"));
    String output = node.outputs().get(0);
    Dim count = Dims.product(context.shape(output));
    Dim bits = Dim.of(value.bits());
    List<Argument> arguments =
        List.of(
            context.write(output),
            Scalars.of(count),
            wide ? new Argument.Long(bits) : new Argument.Int(bits));
    return NodeLowering.single(context.dispatch(kernel, arguments, List.of(count)));
  }
}
