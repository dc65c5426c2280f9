package oclc.ir.ops;

import java.util.List;
import oclc.ir.Dim;
import oclc.ir.InferenceContext;
import oclc.ir.Shape;
import oclc.ir.TensorType;

/** Flatten: the dims before {@code axis} become one, and those from it another. */
final class FlattenOp extends MovementOp {
  @Override
  public boolean viewsFirstInput() {
    return true;
  }

  @Override
  public String opType() {
    return "Flatten";
  }

  @Override
  public List<TensorType> inferTypes(InferenceContext context) {
    Shape in = context.inputShape(0);
    long a = context.attributes().getInt("axis", 1);
    int axis = (int) (a < 0 ? a + in.rank() : a);
    if (axis < 0 || axis > in.rank()) {
      throw context.error("axis " + a + " is out of range for rank " + in.rank());
    }
    Dim outer = Dim.of(1);
    Dim inner = Dim.of(1);
    for (int i = 0; i < in.rank(); i++) {
      if (i < axis) {
        outer = outer.times(in.dim(i));
      } else {
        inner = inner.times(in.dim(i));
      }
    }
    return List.of(new TensorType(context.inputDType(0), Shape.of(outer, inner)));
  }

  @Override
  ElementSources sources(Arguments arguments) {
    long[] in = arguments.shape(0);
    long a = arguments.attributes().getInt("axis", 1);
    int axis = (int) (a < 0 ? a + in.length : a);
    return ReshapeOp.identity(
        new long[] {Indexing.product(in, 0, axis), Indexing.product(in, axis, in.length)});
  }
}
