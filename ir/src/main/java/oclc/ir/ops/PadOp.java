package oclc.ir.ops;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import oclc.ir.Dim;
import oclc.ir.EvaluationContext;
import oclc.ir.InferenceContext;
import oclc.ir.OpDefinition;
import oclc.ir.Shape;
import oclc.ir.Tensor;
import oclc.ir.TensorType;

/**
 * Pad in constant, reflect, edge or wrap mode. Pads (begins then ends; negative ones crop) are an
 * attribute before opset 11 and an input after; opset 18 adds the axes they apply to.
 */
final class PadOp implements OpDefinition {
  @Override
  public String opType() {
    return "Pad";
  }

  /** Per axis of the input: how much to add before and after. */
  private static List<Dim>[] pads(InferenceContext context, int rank) {
    List<Dim> given;
    if (context.opset() < 11) {
      given = new ArrayList<>();
      for (long p : context.attributes().getInts("pads")) {
        given.add(Dim.of(p));
      }
    } else {
      given = context.requireSymbolicInput(1, "pads").elements();
    }
    long[] axes =
        axes(
            context.opset(),
            rank,
            context.hasInput(3)
                ? context.requireSymbolicInput(3, "axes").elements().stream()
                    .mapToLong(Dim::constant)
                    .toArray()
                : null);
    @SuppressWarnings("unchecked")
    List<Dim>[] beginEnd = new List[] {new ArrayList<Dim>(), new ArrayList<Dim>()};
    for (int i = 0; i < rank; i++) {
      beginEnd[0].add(Dim.of(0));
      beginEnd[1].add(Dim.of(0));
    }
    for (int i = 0; i < axes.length; i++) {
      beginEnd[0].set((int) axes[i], given.get(i));
      beginEnd[1].set((int) axes[i], given.get(i + axes.length));
    }
    return beginEnd;
  }

  private static long[] axes(long opset, int rank, long[] given) {
    if (given == null) {
      long[] all = new long[rank];
      for (int i = 0; i < rank; i++) {
        all[i] = i;
      }
      return all;
    }
    long[] normalized = new long[given.length];
    for (int i = 0; i < given.length; i++) {
      normalized[i] = Axes.normalize(given[i], rank);
    }
    return normalized;
  }

  @Override
  public List<TensorType> inferTypes(InferenceContext context) {
    Shape in = context.inputShape(0);
    List<Dim>[] p = pads(context, in.rank());
    List<Dim> out = new ArrayList<>();
    for (int i = 0; i < in.rank(); i++) {
      out.add(in.dim(i).plus(p[0].get(i)).plus(p[1].get(i)));
    }
    return List.of(new TensorType(context.inputDType(0), new Shape(out)));
  }

  @Override
  public List<Tensor> evaluate(EvaluationContext context) {
    Tensor x = context.input(0);
    long[] shape = x.shape();
    int rank = shape.length;
    long[] given;
    double constant;
    if (context.opset() < 11) {
      given = context.attributes().getInts("pads");
      constant = context.attributes().getFloat("value", 0f);
    } else {
      given = context.input(1).toLongArray();
      constant = context.optionalInput(2).map(t -> t.getDouble(0)).orElse(0.0);
    }
    long[] axes =
        axes(context.opset(), rank, context.optionalInput(3).map(Tensor::toLongArray).orElse(null));
    long[] begin = new long[rank];
    long[] out = shape.clone();
    for (int i = 0; i < axes.length; i++) {
      int axis = (int) axes[i];
      begin[axis] = given[i];
      out[axis] += given[i] + given[i + axes.length];
    }
    Optional<Tensor> constantValue =
        context.opset() < 11 ? Optional.empty() : context.optionalInput(2);
    String mode = context.attributes().getString("mode", "constant");
    Tensor y = Tensor.allocate(x.dtype(), out);
    long[] strides = Indexing.strides(shape);
    long[] position = new long[rank];
    for (int i = 0; i < y.size(); i++) {
      Indexing.unravel(i, out, position);
      long source = 0;
      boolean inside = true;
      for (int axis = 0; axis < rank; axis++) {
        long c = position[axis] - begin[axis];
        long d = shape[axis];
        if (c < 0 || c >= d) {
          switch (mode) {
            case "edge" -> c = Math.clamp(c, 0, d - 1);
            case "wrap" -> c = Math.floorMod(c, d);
            case "reflect" -> c = reflect(c, d);
            default -> inside = false;
          }
        }
        source += c * strides[axis];
      }
      if (inside) {
        y.copyElement(x, (int) source, i);
      } else if (constantValue.isPresent()) {
        y.copyElement(constantValue.get(), 0, i); // exact for int64 beyond 2^53
      } else {
        y.setDouble(i, constant);
      }
    }
    return List.of(y);
  }

  /** Mirror without repeating the edge: …, 2, 1, [0, 1, 2, 3], 2, 1, 0, 1, … */
  private static long reflect(long c, long d) {
    if (d == 1) {
      return 0;
    }
    long period = 2 * (d - 1);
    long m = Math.floorMod(c, period);
    return m < d ? m : period - m;
  }
}
