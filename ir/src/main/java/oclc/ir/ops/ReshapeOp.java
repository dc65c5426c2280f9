package oclc.ir.ops;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import oclc.ir.Dim;
import oclc.ir.InferenceContext;
import oclc.ir.Shape;
import oclc.ir.SymbolicTensor;
import oclc.ir.TensorType;

/**
 * Reshape: 0 copies the input's dim (unless allowzero), one -1 takes what is left. The target shape
 * may hold dims (from shape arithmetic), which flow into the output shape.
 */
final class ReshapeOp extends MovementOp {
  @Override
  public boolean viewsFirstInput() {
    return true;
  }

  @Override
  public String opType() {
    return "Reshape";
  }

  @Override
  public List<TensorType> inferTypes(InferenceContext context) {
    SymbolicTensor target = context.requireSymbolicInput(1, "target shape");
    Shape in = context.inputShape(0);
    if (target.shape().length != 1) {
      throw context.error(
          "the target shape must be 1-D, not of shape " + Arrays.toString(target.shape()));
    }
    boolean allowZero = context.attributes().getInt("allowzero", 0) != 0;
    List<Dim> dims = new ArrayList<>();
    int inferred = -1;
    Dim known = Dim.of(1);
    for (int i = 0; i < target.size(); i++) {
      Dim d = target.element(i);
      if (d.equals(Dim.of(-1))) {
        if (inferred >= 0) {
          throw context.error("the target shape " + target.elements() + " has more than one -1");
        }
        inferred = i;
        dims.add(d);
        continue;
      }
      if (d.isConstant() && d.constant() < -1) {
        throw context.error("the target shape " + target.elements() + " has a negative size " + d);
      }
      if (d.equals(Dim.of(0)) && !allowZero) {
        if (i >= in.rank()) {
          throw context.error(
              "0 at position " + i + " of the target shape, beyond the input's rank " + in.rank());
        }
        d = in.dim(i);
      }
      dims.add(d);
      known = known.times(d);
    }
    Dim total = in.elementCount();
    if (inferred >= 0) {
      if (known.equals(Dim.of(0))) {
        throw context.error(
            "the target shape "
                + target.elements()
                + " has a -1 beside a size of 0: the -1 is ambiguous");
      }
      // Exact where the dims allow (b·s·64 / (b·64) = s); a floordiv atom otherwise.
      dims.set(inferred, total.floorDiv(known));
    } else if (total.compareKnown(known).map(c -> c != 0).orElse(false)) {
      throw context.error(
          "cannot reshape " + in + " (" + total + " elements) to " + dims + " (" + known + ")");
    }
    return List.of(new TensorType(context.inputDType(0), new Shape(dims)));
  }

  @Override
  ElementSources sources(Arguments arguments) {
    long[] in = arguments.shape(0);
    long[] target = arguments.values(1).orElseThrow();
    boolean allowZero = arguments.attributes().getInt("allowzero", 0) != 0;
    long[] out = new long[target.length];
    int inferred = -1;
    long known = 1;
    for (int i = 0; i < target.length; i++) {
      if (target[i] == 0 && !allowZero && i >= in.length) {
        throw new IllegalArgumentException(
            "0 at position " + i + " of the target shape, beyond the input's rank");
      }
      out[i] = target[i] == 0 && !allowZero ? in[i] : target[i];
      if (out[i] == -1) {
        if (inferred >= 0) {
          throw new IllegalArgumentException(
              "the target shape " + Arrays.toString(target) + " has more than one -1");
        }
        inferred = i;
      } else if (out[i] < 0) {
        throw new IllegalArgumentException(
            "the target shape " + Arrays.toString(target) + " has a negative size");
      } else {
        known *= out[i];
      }
    }
    if (inferred >= 0) {
      if (known == 0) {
        throw new IllegalArgumentException(
            "the target shape " + Arrays.toString(target) + " has a -1 beside a size of 0");
      }
      out[inferred] = Indexing.size(in) / known;
    }
    if (Indexing.size(out) != Indexing.size(in)) {
      throw new IllegalArgumentException(
          "cannot reshape " + Arrays.toString(in) + " to " + Arrays.toString(target));
    }
    return identity(out);
  }

  static ElementSources identity(long[] outputShape) {
    int[] index = new int[Indexing.size(outputShape)];
    for (int i = 0; i < index.length; i++) {
      index[i] = i;
    }
    return ElementSources.ofSingleInput(outputShape, index);
  }
}
