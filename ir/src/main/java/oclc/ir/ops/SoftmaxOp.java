package oclc.ir.ops;

import java.util.List;
import oclc.ir.EvaluationContext;
import oclc.ir.InferenceContext;
import oclc.ir.Tensor;
import oclc.ir.TensorType;

/**
 * Softmax, LogSoftmax and Hardmax over rows: before opset 13 a row is everything from {@code axis}
 * (default 1) on; from 13 it is the one {@code axis} (default −1).
 */
final class SoftmaxOp extends ShapePreservingOp implements NormalizesRows {
  enum Kind {
    SOFTMAX,
    LOG_SOFTMAX,
    HARDMAX
  }

  private final Kind kind;

  SoftmaxOp(Kind kind) {
    this.kind = kind;
  }

  @Override
  public String opType() {
    return switch (kind) {
      case SOFTMAX -> "Softmax";
      case LOG_SOFTMAX -> "LogSoftmax";
      case HARDMAX -> "Hardmax";
    };
  }

  @Override
  public List<TensorType> inferTypes(InferenceContext context) {
    long axis = context.attributes().getInt("axis", context.opset() < 13 ? 1 : -1);
    int rank = context.inputShape(0).rank();
    if (rank > 0 && (axis < -rank || axis > (context.opset() < 13 ? rank : rank - 1))) {
      throw context.error("axis " + axis + " is out of range for rank " + rank);
    }
    return super.inferTypes(context);
  }

  @Override
  public RowAxes rowAxes(oclc.ir.InferenceContext context) {
    int rank = context.inputShape(0).rank();
    boolean coerced = context.opset() < 13;
    int axis = rowAxis(context.attributes().getInt("axis", coerced ? 1 : -1), rank, coerced);
    return new RowAxes(axis, coerced ? rank - 1 : axis);
  }

  /**
   * The first axis of a row. Before opset 13 the input is coerced to 2-D at {@code axis}, which may
   * then equal the rank (rows of one element).
   */
  private static int rowAxis(long axis, int rank, boolean coerced) {
    if (rank == 0) {
      return 0;
    }
    return coerced && axis == rank ? rank : Axes.normalize(axis, rank);
  }

  @Override
  public List<Tensor> evaluate(EvaluationContext context) {
    Tensor x = context.input(0);
    long[] shape = x.shape();
    boolean coerced = context.opset() < 13;
    int axis =
        rowAxis(context.attributes().getInt("axis", coerced ? 1 : -1), shape.length, coerced);
    long length =
        coerced || shape.length == 0 ? Indexing.product(shape, axis, shape.length) : shape[axis];
    long inner = coerced ? 1 : Indexing.product(shape, axis + 1, shape.length);
    long outer = length * inner == 0 ? 0 : x.size() / (length * inner);
    Tensor y = Tensor.allocate(x.dtype(), shape);
    double[] row = new double[(int) length];
    for (long o = 0; o < outer; o++) {
      for (long in = 0; in < inner; in++) {
        long base = o * length * inner + in;
        for (int k = 0; k < length; k++) {
          row[k] = x.getDouble((int) (base + k * inner));
        }
        apply(row);
        for (int k = 0; k < length; k++) {
          y.setDouble((int) (base + k * inner), row[k]);
        }
      }
    }
    return List.of(y);
  }

  private void apply(double[] row) {
    double max = Double.NEGATIVE_INFINITY;
    int argmax = 0;
    for (int k = 0; k < row.length; k++) {
      if (row[k] > max) {
        max = row[k];
        argmax = k;
      }
    }
    if (kind == Kind.HARDMAX) {
      java.util.Arrays.fill(row, 0);
      if (row.length > 0) {
        row[argmax] = 1;
      }
      return;
    }
    double sum = 0;
    for (double v : row) {
      sum += Math.exp(v - max);
    }
    for (int k = 0; k < row.length; k++) {
      row[k] = kind == Kind.SOFTMAX ? Math.exp(row[k] - max) / sum : row[k] - max - Math.log(sum);
    }
  }
}
