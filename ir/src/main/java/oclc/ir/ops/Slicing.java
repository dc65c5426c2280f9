package oclc.ir.ops;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import oclc.ir.Dim;
import oclc.ir.InferenceContext;
import oclc.ir.Shape;
import oclc.ir.SymbolicTensor;

/**
 * The windows a Slice node takes, over symbolic dims: the one place that reads starts, ends, axes
 * and steps and clamps them (shape inference and the kernels' strides both use it).
 *
 * <p>Clamping follows the spec: starts to [0, D] (negative steps: [0, D − 1]), ends to [0, D]
 * (negative steps: [−1, D − 1]). Where a clamp cannot be decided over the symbols, an end is
 * clamped exactly with {@code min} — except a symbolic end against a constant dim, and any start,
 * which are assumed within the dim (the reading the exporter meant), an assumption checked when the
 * symbols are bound.
 */
public final class Slicing {
  /** ONNX exporters write "to the end" as a huge end (INT64_MAX, INT32_MAX). */
  private static final long HUGE = Integer.MAX_VALUE;

  private Slicing() {}

  /** One sliced axis: the first element taken, the step, and how many are taken. */
  public record AxisWindow(int axis, Dim start, long step, Dim length) {}

  /**
   * The window of each sliced axis, with starts clamped per the spec; assumptions it needs are
   * recorded in the context.
   */
  public static List<AxisWindow> windows(InferenceContext context) {
    Shape in = context.inputShape(0);
    Bounds b = bounds(context, in.rank());
    List<AxisWindow> windows = new ArrayList<>();
    for (int i = 0; i < b.axes().size(); i++) {
      int axis = b.axes().get(i);
      long step = b.steps().get(i);
      Dim size = in.dim(axis);
      Dim end =
          step > 0
              ? clamp(context, b.ends().get(i), size, Dim.of(0), size, axis, "end")
              : clamp(context, b.ends().get(i), size, Dim.of(-1), size.minus(1), axis, "end");
      Dim start;
      Dim rawStart = b.starts().get(i);
      if (step > 0 && rawStart.isNonNegative() && end.minus(rawStart).isNonNegative()) {
        start = rawStart; // at or before an end that is within the dim: within it too
      } else {
        start =
            clamp(
                context, rawStart, size, Dim.of(0), step > 0 ? size : size.minus(1), axis, "start");
      }
      Dim first = step > 0 ? start : end;
      Dim last = step > 0 ? end : start;
      Dim span = last.minus(first);
      if (!span.isConstant() && !span.isNonNegative()) {
        // An empty slice of a symbolic dim is almost always a mistake; say so at bind time.
        assumeOnce(context, first, last, "slice start before end on axis " + axis);
      } else {
        span = span.max(Dim.of(0));
      }
      long stride = Math.abs(step);
      windows.add(
          new AxisWindow(axis, start, step, span.plus(stride - 1).floorDiv(Dim.of(stride))));
    }
    return windows;
  }

  /** Per sliced axis: start, end, step. */
  private record Bounds(List<Integer> axes, List<Dim> starts, List<Dim> ends, List<Long> steps) {}

  private static Bounds bounds(InferenceContext context, int rank) {
    List<Dim> starts;
    List<Dim> ends;
    long[] axes;
    long[] steps;
    if (context.opset() < 10) {
      starts = Arrays.stream(context.attributes().getInts("starts")).mapToObj(Dim::of).toList();
      ends = Arrays.stream(context.attributes().getInts("ends")).mapToObj(Dim::of).toList();
      axes = context.attributes().getInts("axes", null);
      steps = null;
    } else {
      starts = context.requireSymbolicInput(1, "starts").elements();
      ends = context.requireSymbolicInput(2, "ends").elements();
      axes = context.hasInput(3) ? constantValues(context, 3, "axes") : null;
      steps = context.hasInput(4) ? constantValues(context, 4, "steps") : null;
    }
    int count = starts.size();
    if (ends.size() != count
        || (axes != null && axes.length != count)
        || (steps != null && steps.length != count)) {
      throw context.error(
          "starts, ends, axes and steps of a slice differ in length: "
              + count
              + ", "
              + ends.size()
              + ", "
              + (axes == null ? "-" : axes.length)
              + ", "
              + (steps == null ? "-" : steps.length));
    }
    List<Integer> axisList = new ArrayList<>();
    List<Long> stepList = new ArrayList<>();
    Set<Integer> seen = new HashSet<>();
    for (int i = 0; i < count; i++) {
      int axis = axes == null ? i : Axes.normalize(context, axes[i], rank);
      if (!seen.add(axis)) {
        throw context.error("axis " + axis + " is sliced twice");
      }
      long step = steps == null ? 1 : steps[i];
      if (step == 0) {
        throw context.error("slice step 0 on axis " + axis);
      }
      axisList.add(axis);
      stepList.add(step);
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

  /**
   * A start or end, counted from the end when negative, clamped into {@code [lower, upper]}; kept
   * symbolic where the clamp can be decided.
   */
  private static Dim clamp(
      InferenceContext context,
      Dim position,
      Dim size,
      Dim lower,
      Dim upper,
      int axis,
      String what) {
    Dim p = position;
    if (p.isConstant()) {
      long v = p.constant();
      if (v >= HUGE) {
        return upper;
      }
      if (v <= -HUGE) {
        return lower;
      }
      if (v < 0) {
        p = size.plus(v);
      }
    } else if (!p.isNonNegative()) {
      throw context.error(
          "cannot tell the sign of slice "
              + what
              + " "
              + p
              + " on axis "
              + axis
              + "; a negative one would count from the end");
    }
    Dim raised = p.max(lower);
    if (!raised.equals(p) && !raised.equals(lower)) {
      assumeOnce(context, lower, p, "slice " + what + " " + position + " within dim " + axis);
      raised = p;
    }
    Dim clamped = raised.min(upper);
    if (!clamped.equals(raised) && !clamped.equals(upper)) {
      boolean symbolicAgainstConstant = !raised.isConstant() && upper.isConstant();
      if (what.equals("end") && !symbolicAgainstConstant) {
        return clamped; // an end beyond the dim is common ("to the end"): keep the exact min
      }
      assumeOnce(context, raised, upper, "slice " + what + " within dim " + axis);
      return raised;
    }
    return clamped;
  }

  /** One assumption per fact: a node that slices two axes to the same bound states it once. */
  private static void assumeOnce(
      InferenceContext context, Dim lessOrEqual, Dim bound, String reason) {
    boolean known =
        context.assumptions().stream()
            .anyMatch(a -> a.lessOrEqual().equals(lessOrEqual) && a.bound().equals(bound));
    if (!known) {
      context.assume(lessOrEqual, bound, reason);
    }
  }
}
