package oclc.ir.ops;

import oclc.ir.InferenceContext;
import oclc.ir.OclcException;

/** Axis arguments, which ONNX lets count from the end. */
public final class Axes {
  private Axes() {}

  /** {@code axis} in {@code [-rank, rank)} as an index in {@code [0, rank)}. */
  public static int normalize(long axis, int rank) {
    if (axis < -rank || axis >= rank) {
      throw new OclcException("axis " + axis + " is out of range for rank " + rank);
    }
    return (int) (axis < 0 ? axis + rank : axis);
  }

  public static int normalize(InferenceContext context, long axis, int rank) {
    if (axis < -rank || axis >= rank) {
      throw context.error("axis " + axis + " is out of range for rank " + rank);
    }
    return (int) (axis < 0 ? axis + rank : axis);
  }
}
