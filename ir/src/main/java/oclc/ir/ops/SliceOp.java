package oclc.ir.ops;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import oclc.ir.Dim;
import oclc.ir.InferenceContext;
import oclc.ir.Shape;
import oclc.ir.TensorType;

/**
 * Slice: starts, ends, axes and steps as attributes before opset 10 and inputs after. Bounds may be
 * dims: GPT-2 slices its causal mask from {@code past_sequence_length} to {@code
 * past_sequence_length + sequence_length}; {@link Slicing} reads and clamps them.
 */
final class SliceOp extends MovementOp {
  @Override
  public String opType() {
    return "Slice";
  }

  @Override
  public List<TensorType> inferTypes(InferenceContext context) {
    Shape in = context.inputShape(0);
    List<Dim> out = new ArrayList<>(in.dims());
    for (Slicing.AxisWindow w : Slicing.windows(context)) {
      out.set(w.axis(), w.length());
    }
    return List.of(new TensorType(context.inputDType(0), new Shape(out)));
  }

  @Override
  ElementSources sources(Arguments arguments) {
    long[] in = arguments.shape(0);
    long[] starts;
    long[] ends;
    long[] axes;
    long[] steps;
    if (arguments.opset() < 10) {
      starts = arguments.attributes().getInts("starts");
      ends = arguments.attributes().getInts("ends");
      axes = arguments.attributes().getInts("axes", null);
      steps = null;
    } else {
      starts = arguments.values(1).orElseThrow();
      ends = arguments.values(2).orElseThrow();
      axes = arguments.values(3).orElse(null);
      steps = arguments.values(4).orElse(null);
    }
    long[] begin = new long[in.length];
    long[] stride = new long[in.length];
    long[] out = in.clone();
    Arrays.fill(stride, 1);
    for (int i = 0; i < starts.length; i++) {
      int axis = axes == null ? i : Axes.normalize(axes[i], in.length);
      long step = steps == null ? 1 : steps[i];
      if (step == 0) {
        throw new IllegalArgumentException("slice step 0 on axis " + axis);
      }
      long d = in[axis];
      long s = starts[i] < 0 ? Math.max(starts[i], -d - 1) + d : starts[i];
      long e = ends[i] < 0 ? Math.max(ends[i], -d - 1) + d : ends[i];
      if (step > 0) {
        s = Math.clamp(s, 0, d);
        e = Math.clamp(e, 0, d);
        out[axis] = e <= s ? 0 : (e - s - 1) / step + 1;
      } else {
        s = Math.clamp(s, 0, Math.max(d - 1, 0));
        e = Math.clamp(e, -1, d - 1);
        out[axis] = d == 0 || s <= e ? 0 : (s - e - 1) / -step + 1;
      }
      begin[axis] = s;
      stride[axis] = step;
    }
    long[] inStrides = Indexing.strides(in);
    int[] index = new int[Indexing.size(out)];
    long[] position = new long[out.length];
    for (int i = 0; i < index.length; i++) {
      Indexing.unravel(i, out, position);
      long flat = 0;
      for (int axis = 0; axis < in.length; axis++) {
        flat += (begin[axis] + position[axis] * stride[axis]) * inStrides[axis];
      }
      index[i] = (int) flat;
    }
    return ElementSources.ofSingleInput(out, index);
  }
}
