package oclc.ir.ops;

import java.util.ArrayList;
import java.util.List;
import oclc.ir.Dim;
import oclc.ir.InferenceContext;
import oclc.ir.Shape;
import oclc.ir.SymbolicTensor;
import oclc.ir.TensorType;

/**
 * Slice: starts, ends, axes and steps as attributes before opset 10 and inputs after. Bounds may
 * be dims: GPT-2 slices its causal mask from {@code past_sequence_length} to {@code
 * past_sequence_length + sequence_length}. An end that cannot be compared with the dim it clamps
 * to is assumed within it, and that assumption is checked when the symbols are bound.
 */
final class SliceOp extends MovementOp {
  /** ONNX exporters write "to the end" as a huge end. */
  private static final long HUGE = Integer.MAX_VALUE;

  @Override
  public String opType() {
    return "Slice";
  }

  @Override
  boolean isData(int input) {
    return input == 0;
  }

  /** Per sliced axis: start, end, step as dims. */
  private record Bounds(List<Integer> axes, List<Dim> starts, List<Dim> ends, List<Long> steps) {}

  private Bounds bounds(InferenceContext context, int rank) {
    List<Dim> starts;
    List<Dim> ends;
    long[] axes;
    long[] steps;
    if (context.opset() < 10) {
      starts = constants(context.attributes().getInts("starts"));
      ends = constants(context.attributes().getInts("ends"));
      axes = context.attributes().getInts("axes", null);
      steps = null;
    } else {
      starts = context.requireSymbolicInput(1, "starts").elements();
      ends = context.requireSymbolicInput(2, "ends").elements();
      axes = context.hasInput(3) ? constantValues(context, 3, "axes") : null;
      steps = context.hasInput(4) ? constantValues(context, 4, "steps") : null;
    }
    List<Integer> axisList = new ArrayList<>();
    List<Long> stepList = new ArrayList<>();
    for (int i = 0; i < starts.size(); i++) {
      axisList.add(axes == null ? i : Axes.normalize(context, axes[i], rank));
      stepList.add(steps == null ? 1 : steps[i]);
    }
    return new Bounds(axisList, starts, ends, stepList);
  }

  private static long[] constantValues(InferenceContext context, int input, String role) {
    SymbolicTensor s = context.requireSymbolicInput(input, role);
    if (!s.isConstant()) {
      throw context.error("the " + role + " of a slice must be constants, not " + s.elements());
    }
    return s.elements().stream().mapToLong(Dim::constant).toArray();
  }

  private static List<Dim> constants(long[] values) {
    List<Dim> dims = new ArrayList<>();
    for (long v : values) {
      dims.add(Dim.of(v));
    }
    return dims;
  }

  @Override
  public List<TensorType> inferTypes(InferenceContext context) {
    Shape in = context.inputShape(0);
    Bounds b = bounds(context, in.rank());
    List<Dim> out = new ArrayList<>(in.dims());
    for (int i = 0; i < b.axes().size(); i++) {
      int axis = b.axes().get(i);
      long step = b.steps().get(i);
      if (step == 0) {
        throw context.error("slice step 0 on axis " + axis);
      }
      Dim size = in.dim(axis);
      Dim end = position(context, b.ends().get(i), size, step, axis, "end");
      // A start at or before an end that is within the dim is within it too: no second assumption.
      Dim rawStart = b.starts().get(i);
      boolean startBelowEnd = step > 0 && end.equals(b.ends().get(i))
          && end.minus(rawStart).isNonNegative();
      Dim start = startBelowEnd && rawStart.isNonNegative()
          ? rawStart
          : position(context, rawStart, size, step, axis, "start");
      Dim span = step > 0 ? end.minus(start) : start.minus(end);
      if (!span.isConstant() && !span.isNonNegative()) {
        // An empty slice of a symbolic dim is almost always a mistake; say so at bind time.
        context.assume(step > 0 ? start : end, step > 0 ? end : start, "slice start before end on axis " + axis);
      } else {
        span = span.max(Dim.of(0));
      }
      out.set(axis, span.plus(Math.abs(step) - 1).floorDiv(Dim.of(Math.abs(step))));
    }
    return List.of(new TensorType(context.inputDType(0), new Shape(out)));
  }

  /** A start or end clamped into the axis as ONNX says, kept symbolic where it can be decided. */
  private static Dim position(InferenceContext context, Dim p, Dim size, long step, int axis, String what) {
    if (p.isConstant()) {
      long v = p.constant();
      if (v >= HUGE) {
        return step > 0 ? size : size.minus(1);
      }
      if (v <= -HUGE) {
        return step > 0 ? Dim.of(0) : Dim.of(-1);
      }
      if (v < 0) {
        Dim fromEnd = size.plus(v);
        Dim lower = Dim.of(step > 0 ? 0 : -1);
        Dim clamped = fromEnd.max(lower);
        if (!clamped.equals(fromEnd) && !clamped.equals(lower)) {
          context.assume(lower, fromEnd, "slice " + what + " " + v + " within dim " + axis);
          return fromEnd;
        }
        return clamped;
      }
    } else if (!p.isNonNegative()) {
      throw context.error("cannot tell the sign of slice " + what + " " + p + " on axis " + axis);
    }
    Dim limit = step > 0 ? size : size.minus(1);
    Dim clamped = p.min(limit);
    if (!clamped.equals(p) && !clamped.equals(limit)) {
      // Undecidable clamp: take the in-range reading and check it when the symbols are bound.
      context.assume(p, limit, "slice " + what + " within dim " + axis);
      return p;
    }
    return clamped;
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
      axes = arguments.inputCount() > 3 ? arguments.values(3).orElse(null) : null;
      steps = arguments.inputCount() > 4 ? arguments.values(4).orElse(null) : null;
    }
    long[] begin = new long[in.length];
    long[] stride = new long[in.length];
    long[] out = in.clone();
    java.util.Arrays.fill(stride, 1);
    for (int i = 0; i < starts.length; i++) {
      int axis = axes == null ? i : Axes.normalize(axes[i], in.length);
      long step = steps == null ? 1 : steps[i];
      long d = in[axis];
      long s = starts[i] < 0 ? starts[i] + d : starts[i];
      long e = ends[i] < 0 ? ends[i] + d : ends[i];
      if (step > 0) {
        s = Math.clamp(s, 0, d);
        e = Math.clamp(e, 0, d);
        out[axis] = Math.max(0, (e - s + step - 1) / step);
      } else {
        s = Math.clamp(s, -1, d - 1);
        e = Math.clamp(e, -1, d - 1);
        out[axis] = Math.max(0, (s - e - step - 1) / -step);
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
