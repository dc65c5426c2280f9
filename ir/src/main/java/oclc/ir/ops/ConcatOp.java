package oclc.ir.ops;

import java.util.ArrayList;
import java.util.List;
import oclc.ir.Dim;
import oclc.ir.InferenceContext;
import oclc.ir.Shape;
import oclc.ir.TensorType;

/** Concat along {@code axis}; the other dims must agree. */
final class ConcatOp extends MovementOp {
  @Override
  public String opType() {
    return "Concat";
  }

  @Override
  boolean isData(int input) {
    return true;
  }

  @Override
  public List<TensorType> inferTypes(InferenceContext context) {
    Shape first = context.inputShape(0);
    int axis = Axes.normalize(context, context.attributes().getInt("axis"), first.rank());
    List<Dim> out = new ArrayList<>(first.dims());
    Dim total = Dim.of(0);
    for (int i = 0; i < context.inputCount(); i++) {
      Shape s = context.inputShape(i);
      if (s.rank() != first.rank()) {
        throw context.error(
            "input " + i + " has rank " + s.rank() + ", input 0 has " + first.rank());
      }
      if (context.inputDType(i) != context.inputDType(0)) {
        throw context.error(
            "input "
                + i
                + " is "
                + context.inputDType(i)
                + ", input 0 is "
                + context.inputDType(0));
      }
      for (int d = 0; d < s.rank(); d++) {
        if (d != axis && s.dim(d).compareKnown(out.get(d)).map(c -> c != 0).orElse(false)) {
          throw context.error(
              "input "
                  + i
                  + " of shape "
                  + s
                  + " differs from input 0 of shape "
                  + first
                  + " on axis "
                  + d
                  + ", which is not the concatenation axis "
                  + axis);
        }
        if (d != axis) {
          Dim kept = out.get(d);
          out.set(d, context.unify(kept, s.dim(d), "the dims beside the axis").orElse(kept));
        }
      }
      total = total.plus(s.dim(axis));
    }
    out.set(axis, total);
    return List.of(new TensorType(context.inputDType(0), new Shape(out)));
  }

  @Override
  ElementSources sources(Arguments arguments) {
    int n = arguments.inputCount();
    long[] first = arguments.shape(0);
    int axis = Axes.normalize(arguments.attributes().getInt("axis"), first.length);
    long[] out = first.clone();
    out[axis] = 0;
    long[] offsets = new long[n + 1];
    for (int k = 0; k < n; k++) {
      offsets[k + 1] = offsets[k] + arguments.shape(k)[axis];
    }
    out[axis] = offsets[n];
    int size = Indexing.size(out);
    int[] input = new int[size];
    int[] index = new int[size];
    long[] position = new long[out.length];
    for (int i = 0; i < size; i++) {
      Indexing.unravel(i, out, position);
      int k = 0;
      while (position[axis] >= offsets[k + 1]) {
        k++;
      }
      position[axis] -= offsets[k];
      input[i] = k;
      index[i] = (int) Indexing.ravel(position, Indexing.strides(arguments.shape(k)));
    }
    return new ElementSources(out, input, index);
  }
}
