package oclc.ir.ops;

import java.util.List;
import oclc.ir.DType;
import oclc.ir.EvaluationContext;
import oclc.ir.Tensor;

/**
 * ScatterND and ScatterElements (and the old Scatter): a copy of the data with updates written at
 * the indexed places, replacing them or combining with add, mul, max or min.
 */
final class ScatterOp extends ShapePreservingOp {
  enum Kind {
    ND,
    ELEMENTS,
    LEGACY
  }

  private final Kind kind;

  ScatterOp(Kind kind) {
    this.kind = kind;
  }

  @Override
  public String opType() {
    return switch (kind) {
      case ND -> "ScatterND";
      case ELEMENTS -> "ScatterElements";
      case LEGACY -> "Scatter";
    };
  }

  @Override
  public List<Tensor> evaluate(EvaluationContext context) {
    Tensor data = context.input(0);
    Tensor indices = context.input(1);
    Tensor updates = context.input(2);
    Reduction reduction = Reduction.of(context.attributes().getString("reduction", "none"));
    Tensor out = data.copy();
    long[] shape = data.shape();
    long[] strides = Indexing.strides(shape);
    if (kind == Kind.ND) {
      long[] indexShape = indices.shape();
      int depth = (int) indexShape[indexShape.length - 1];
      int tuples = depth == 0 ? indices.size() : indices.size() / depth;
      int slice = (int) Indexing.product(shape, depth, shape.length);
      for (int t = 0; t < tuples; t++) {
        long base = 0;
        for (int d = 0; d < depth; d++) {
          long k = indices.getLong(t * depth + d);
          base += (k < 0 ? k + shape[d] : k) * strides[d];
        }
        for (int j = 0; j < slice; j++) {
          combine(out, (int) base + j, updates, t * slice + j, reduction);
        }
      }
    } else {
      int axis = Axes.normalize(context.attributes().getInt("axis", 0), shape.length);
      long[] indexShape = indices.shape();
      long[] position = new long[indexShape.length];
      for (int i = 0; i < indices.size(); i++) {
        Indexing.unravel(i, indexShape, position);
        long k = indices.getLong(i);
        position[axis] = k < 0 ? k + shape[axis] : k;
        combine(out, (int) Indexing.ravel(position, strides), updates, i, reduction);
      }
    }
    return List.of(out);
  }

  private static void combine(Tensor out, int at, Tensor updates, int from, Reduction reduction) {
    if (reduction == Reduction.NONE) {
      out.copyElement(updates, from, at);
    } else if (out.dtype().isFloat()) {
      out.setDouble(at, reduction.apply(out.getDouble(at), updates.getDouble(from)));
    } else {
      boolean bool = out.dtype() == DType.BOOL;
      out.setLong(at, reduction.apply(out.getLong(at), updates.getLong(from), bool));
    }
  }

  /** How an update meets the element it lands on: ONNX's {@code reduction} attribute. */
  private enum Reduction {
    NONE,
    ADD,
    MUL,
    MAX,
    MIN;

    static Reduction of(String name) {
      return switch (name) {
        case "none" -> NONE;
        case "add" -> ADD;
        case "mul" -> MUL;
        case "max" -> MAX;
        case "min" -> MIN;
        default -> throw new IllegalArgumentException("reduction " + name);
      };
    }

    double apply(double a, double b) {
      return switch (this) {
        case NONE -> b;
        case ADD -> a + b;
        case MUL -> a * b;
        case MAX -> Math.max(a, b);
        case MIN -> Math.min(a, b);
      };
    }

    /** The same over integers; over bools ({@code bool}) max is or and min is and. */
    long apply(long a, long b, boolean bool) {
      return switch (this) {
        case NONE -> b;
        case ADD -> a + b;
        case MUL -> a * b;
        case MAX -> bool ? a | b : Math.max(a, b);
        case MIN -> bool ? a & b : Math.min(a, b);
      };
    }
  }
}
