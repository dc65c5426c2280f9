package oclc.ir.ops;

import java.util.ArrayList;
import java.util.List;
import oclc.ir.Dim;
import oclc.ir.EvaluationContext;
import oclc.ir.InferenceContext;
import oclc.ir.OpDefinition;
import oclc.ir.Shape;
import oclc.ir.SymbolicTensor;
import oclc.ir.Tensor;
import oclc.ir.TensorType;

/**
 * Split along {@code axis} into the given sizes (attribute before opset 13, input after), or into
 * equal parts, the last one smaller when {@code num_outputs} (opset 18) does not divide the dim.
 */
final class SplitOp implements OpDefinition {
  @Override
  public String opType() {
    return "Split";
  }

  private static List<Dim> sizes(InferenceContext context, Dim total, int parts) {
    long[] given = null;
    if (context.opset() < 13) {
      given = context.attributes().getInts("split", null);
    } else if (context.hasInput(1)) {
      SymbolicTensor s = context.requireSymbolicInput(1, "split");
      return s.elements();
    }
    if (given != null) {
      List<Dim> dims = new ArrayList<>();
      for (long g : given) {
        dims.add(Dim.of(g));
      }
      return dims;
    }
    return equalParts(total, parts, context.attributes().has("num_outputs"));
  }

  /**
   * Before opset 18 the axis must divide evenly, so each part is {@code total / parts} exactly
   * (which keeps {@code 3 * seq} split in three as {@code seq}); {@code num_outputs} allows a
   * smaller last part.
   */
  private static List<Dim> equalParts(Dim total, int parts, boolean unevenLast) {
    Dim chunk = unevenLast ? total.ceilDiv(Dim.of(parts)) : total.floorDiv(Dim.of(parts));
    List<Dim> dims = new ArrayList<>();
    for (int i = 0; i < parts - 1; i++) {
      dims.add(chunk);
    }
    dims.add(total.minus(chunk.times(parts - 1)));
    return dims;
  }

  @Override
  public List<TensorType> inferTypes(InferenceContext context) {
    Shape in = context.inputShape(0);
    int axis = Axes.normalize(context, context.attributes().getInt("axis", 0), in.rank());
    int parts = (int) context.attributes().getInt("num_outputs", context.outputCount());
    List<TensorType> out = new ArrayList<>();
    for (Dim size : sizes(context, in.dim(axis), parts)) {
      out.add(new TensorType(context.inputDType(0), in.withDim(axis, size)));
    }
    return out;
  }

  @Override
  public List<Tensor> evaluate(EvaluationContext context) {
    Tensor x = context.input(0);
    long[] shape = x.shape();
    int axis = Axes.normalize(context.attributes().getInt("axis", 0), shape.length);
    long[] sizes;
    if (context.opset() < 13 && context.attributes().has("split")) {
      sizes = context.attributes().getInts("split");
    } else if (context.opset() >= 13 && context.hasInput(1)) {
      sizes = context.input(1).toLongArray();
    } else {
      int parts = (int) context.attributes().getInt("num_outputs", context.outputCount());
      boolean unevenLast = context.attributes().has("num_outputs");
      sizes =
          equalParts(Dim.of(shape[axis]), parts, unevenLast).stream()
              .mapToLong(Dim::constant)
              .toArray();
    }
    long outer = Indexing.product(shape, 0, axis);
    long inner = Indexing.product(shape, axis + 1, shape.length);
    List<Tensor> outputs = new ArrayList<>();
    long offset = 0;
    for (long size : sizes) {
      long[] outShape = shape.clone();
      outShape[axis] = size;
      Tensor out = Tensor.allocate(x.dtype(), outShape);
      int i = 0;
      for (long o = 0; o < outer; o++) {
        for (long r = 0; r < size; r++) {
          for (long j = 0; j < inner; j++) {
            out.copyElement(x, (int) ((o * shape[axis] + offset + r) * inner + j), i++);
          }
        }
      }
      outputs.add(out);
      offset += size;
    }
    return outputs;
  }
}
