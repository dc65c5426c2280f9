package oclc.codegen.opencl;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import oclc.artifact.Manifest.Variant;
import oclc.ir.DType;
import oclc.ir.Dim;
import oclc.ir.Node;
import oclc.lowering.Dims;
import oclc.lowering.SmallExponent;

/**
 * Pow: a float32 base to a constant exponent of 2, 3 or 4 (one value, broadcast) as
 * multiplications; any other Pow as the elementwise family's general kernel. A profile of GPT-2
 * showed pow() taking most of the device time for x² and x³.
 */
public final class PowLowering implements NodeLowering {
  @Override
  public List<Variant> lower(Node node, LoweringContext context) {
    String base = node.inputs().get(0);
    String output = node.outputs().get(0);
    Optional<Integer> exponent = smallIntegerExponent(context, node.inputs().get(1));
    if (exponent.isEmpty()
        || context.dtype(base) != DType.FLOAT32
        || !context.shape(base).equals(context.shape(output))) {
      return ElementwiseLowering.binary(node, context);
    }
    int n = exponent.get();
    String kernelName = "pow" + n + "_f32";
    KernelSource kernel =
        KernelSource.rendered(
            "power",
            "power",
            kernelName,
            Map.of("exponent", n, "factors", Collections.nCopies(n - 1, n)));
    Dim count = Dims.product(context.shape(output));
    return NodeLowering.single(
        context.dispatch(
            kernel,
            List.of(context.read(base), context.write(output), Scalars.of(count)),
            List.of(count)));
  }

  /** The exponent when it is a float constant whose every element is the same integer in 2..4. */
  static Optional<Integer> smallIntegerExponent(LoweringContext context, String exponent) {
    return SmallExponent.of(context.constant(exponent));
  }
}
