package oclc.ir.ops;

import java.util.List;
import oclc.ir.InferenceContext;
import oclc.ir.Shape;
import oclc.ir.TensorType;

/** Expand: broadcast the input against a target shape (in both directions). */
final class ExpandOp extends MovementOp {
  @Override
  public String opType() {
    return "Expand";
  }

  @Override
  public List<TensorType> inferTypes(InferenceContext context) {
    Shape target = new Shape(context.requireSymbolicInput(1, "target shape").elements());
    return List.of(
        new TensorType(
            context.inputDType(0), Broadcast.shapes(context, context.inputShape(0), target)));
  }

  @Override
  ElementSources sources(Arguments arguments) {
    long[] in = arguments.shape(0);
    long[] out = Broadcast.shapes(in, arguments.values(1).orElseThrow());
    return ElementSources.ofSingleInput(out, Broadcast.indexMap(out, in));
  }
}
