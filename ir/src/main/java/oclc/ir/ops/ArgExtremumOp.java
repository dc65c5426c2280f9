package oclc.ir.ops;

import java.util.ArrayList;
import java.util.List;
import oclc.ir.DType;
import oclc.ir.Dim;
import oclc.ir.EvaluationContext;
import oclc.ir.InferenceContext;
import oclc.ir.OpDefinition;
import oclc.ir.Shape;
import oclc.ir.Tensor;
import oclc.ir.TensorType;

/**
 * ArgMax and ArgMin along one axis, first or (select_last_index) last on ties; int64 output.
 * Elements compare in their own type, so int64 values that doubles would round stay distinct.
 */
record ArgExtremumOp(boolean max) implements OpDefinition, ReducesAxes {
  @Override
  public String opType() {
    return max ? "ArgMax" : "ArgMin";
  }

  /** The one axis it reduces. */
  @Override
  public java.util.SortedSet<Integer> reducedAxes(InferenceContext context) {
    int rank = context.inputShape(0).rank();
    return new java.util.TreeSet<>(
        List.of(Axes.normalize(context, context.attributes().getInt("axis", 0), rank)));
  }

  @Override
  public List<TensorType> inferTypes(InferenceContext context) {
    Shape in = context.inputShape(0);
    int axis = Axes.normalize(context, context.attributes().getInt("axis", 0), in.rank());
    boolean keep = context.attributes().getInt("keepdims", 1) != 0;
    List<Dim> out = new ArrayList<>();
    for (int i = 0; i < in.rank(); i++) {
      if (i != axis) {
        out.add(in.dim(i));
      } else if (keep) {
        out.add(Dim.of(1));
      }
    }
    return List.of(new TensorType(DType.INT64, new Shape(out)));
  }

  @Override
  public List<Tensor> evaluate(EvaluationContext context) {
    Tensor x = context.input(0);
    long[] shape = x.shape();
    int axis = Axes.normalize(context.attributes().getInt("axis", 0), shape.length);
    boolean keep = context.attributes().getInt("keepdims", 1) != 0;
    boolean last = context.attributes().getInt("select_last_index", 0) != 0;
    long length = shape[axis];
    long inner = Indexing.product(shape, axis + 1, shape.length);
    long outer = Indexing.product(shape, 0, axis);
    List<Long> outShape = new ArrayList<>();
    for (int i = 0; i < shape.length; i++) {
      if (i != axis) {
        outShape.add(shape[i]);
      } else if (keep) {
        outShape.add(1L);
      }
    }
    Tensor y = Tensor.allocate(DType.INT64, outShape.stream().mapToLong(Long::longValue).toArray());
    if (length == 0 && y.size() > 0) {
      throw context.error("cannot take the " + opType() + " of an empty axis " + axis);
    }
    int out = 0;
    for (long o = 0; o < outer; o++) {
      for (long in = 0; in < inner; in++) {
        int first = (int) (o * length * inner + in);
        int best = 0;
        for (int k = 1; k < length; k++) {
          int order =
              ElementOrder.compare(x, first + (int) (k * inner), first + (int) (best * inner));
          boolean better = max ? order > 0 : order < 0;
          if (better || (last && order == 0)) {
            best = k;
          }
        }
        y.setLong(out++, best);
      }
    }
    return List.of(y);
  }
}
