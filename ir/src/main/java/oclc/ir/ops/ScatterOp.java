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
    String reduction = context.attributes().getString("reduction", "none");
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

  private static void combine(Tensor out, int at, Tensor updates, int from, String reduction) {
    if (reduction.equals("none")) {
      out.copyElement(updates, from, at);
      return;
    }
    if (out.dtype().isFloat()) {
      double a = out.getDouble(at);
      double b = updates.getDouble(from);
      out.setDouble(
          at,
          switch (reduction) {
            case "add" -> a + b;
            case "mul" -> a * b;
            case "max" -> Math.max(a, b);
            case "min" -> Math.min(a, b);
            default -> throw new IllegalArgumentException("reduction " + reduction);
          });
    } else {
      long a = out.getLong(at);
      long b = updates.getLong(from);
      out.setLong(
          at,
          switch (reduction) {
            case "add" -> a + b;
            case "mul" -> a * b;
            case "max" -> out.dtype() == DType.BOOL ? a | b : Math.max(a, b);
            case "min" -> out.dtype() == DType.BOOL ? a & b : Math.min(a, b);
            default -> throw new IllegalArgumentException("reduction " + reduction);
          });
    }
  }
}
