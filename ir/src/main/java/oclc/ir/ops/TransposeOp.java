package oclc.ir.ops;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import oclc.ir.Dim;
import oclc.ir.InferenceContext;
import oclc.ir.Shape;
import oclc.ir.TensorType;

/** Transpose: output axis i is input axis perm[i] (default: reversed). */
final class TransposeOp extends MovementOp {
  @Override
  public String opType() {
    return "Transpose";
  }

  private static long[] permutation(oclc.ir.Attributes attributes, int rank) {
    long[] reversed = new long[rank];
    for (int i = 0; i < rank; i++) {
      reversed[i] = rank - 1 - i;
    }
    return attributes.getInts("perm", reversed);
  }

  @Override
  public List<TensorType> inferTypes(InferenceContext context) {
    Shape in = context.inputShape(0);
    long[] perm = permutation(context.attributes(), in.rank());
    if (perm.length != in.rank()) {
      throw context.error("perm has " + perm.length + " axes for an input of rank " + in.rank());
    }
    List<Dim> out = new ArrayList<>();
    boolean[] used = new boolean[in.rank()];
    for (long p : perm) {
      int axis = Axes.normalize(context, p, in.rank());
      if (used[axis]) {
        throw context.error("perm " + Arrays.toString(perm) + " names axis " + axis + " twice");
      }
      used[axis] = true;
      out.add(in.dim(axis));
    }
    return List.of(new TensorType(context.inputDType(0), new Shape(out)));
  }

  @Override
  ElementSources sources(Arguments arguments) {
    long[] in = arguments.shape(0);
    long[] perm = permutation(arguments.attributes(), in.length);
    long[] inStrides = Indexing.strides(in);
    long[] out = new long[in.length];
    long[] permutedStrides = new long[in.length];
    for (int i = 0; i < in.length; i++) {
      int axis = Axes.normalize(perm[i], in.length);
      out[i] = in[axis];
      permutedStrides[i] = inStrides[axis];
    }
    int[] index = new int[Indexing.size(out)];
    long[] position = new long[out.length];
    for (int i = 0; i < index.length; i++) {
      Indexing.unravel(i, out, position);
      index[i] = (int) Indexing.ravel(position, permutedStrides);
    }
    return ElementSources.ofSingleInput(out, index);
  }
}
