package oclc.ir.ops;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import oclc.ir.Dim;
import oclc.ir.InferenceContext;
import oclc.ir.Shape;

/** Numpy-style multidirectional broadcasting, over symbolic and concrete shapes. */
public final class Broadcast {
  private Broadcast() {}

  /**
   * The broadcast of symbolic shapes. Equal dims stay; a dim of 1 yields to the other; a symbolic
   * dim against a constant c &gt; 1 becomes c (it must be 1 or c); two different symbolic dims are
   * unified ({@link InferenceContext#unify}: assumed equal, checked at bind), or, where they cannot
   * be, give their max (one must be 1, or they are equal).
   */
  public static Shape shapes(InferenceContext context, List<Shape> shapes) {
    int rank = shapes.stream().mapToInt(Shape::rank).max().orElse(0);
    List<Dim> out = new ArrayList<>();
    for (int axis = 0; axis < rank; axis++) {
      Dim result = Dim.of(1);
      for (Shape s : shapes) {
        int i = axis - (rank - s.rank());
        if (i >= 0) {
          result = combine(context, result, s.dim(i), shapes);
        }
      }
      out.add(result);
    }
    return new Shape(out);
  }

  public static Shape shapes(InferenceContext context, Shape... shapes) {
    return shapes(context, Arrays.asList(shapes));
  }

  private static Dim combine(InferenceContext context, Dim a, Dim b, List<Shape> all) {
    if (a.equals(b) || b.equals(Dim.of(1))) {
      return a;
    }
    if (a.equals(Dim.of(1))) {
      return b;
    }
    if (a.isConstant() && b.isConstant()) {
      throw context.error("shapes " + all + " do not broadcast (" + a + " against " + b + ")");
    }
    if (a.isConstant()) {
      return a;
    }
    if (b.isConstant()) {
      return b;
    }
    return context.unify(a, b, "broadcast").orElseGet(() -> a.max(b));
  }

  /** The broadcast of concrete shapes. */
  public static long[] shapes(long[]... shapes) {
    int rank = Arrays.stream(shapes).mapToInt(s -> s.length).max().orElse(0);
    long[] out = new long[rank];
    Arrays.fill(out, 1);
    for (long[] s : shapes) {
      for (int i = 0; i < s.length; i++) {
        int axis = rank - s.length + i;
        if (out[axis] == 1) {
          out[axis] = s[i];
        } else if (s[i] != 1 && s[i] != out[axis]) {
          throw new IllegalArgumentException(
              "shapes " + Arrays.deepToString(shapes) + " do not broadcast");
        }
      }
    }
    return out;
  }

  /**
   * For each element of a tensor of shape {@code outShape}, the flat index of the element of a
   * tensor of shape {@code inShape} that broadcasts to it.
   */
  public static int[] indexMap(long[] outShape, long[] inShape) {
    int rank = outShape.length;
    long[] inStrides = new long[rank];
    long stride = 1;
    for (int i = inShape.length - 1; i >= 0; i--) {
      int axis = rank - inShape.length + i;
      inStrides[axis] = inShape[i] == 1 ? 0 : stride;
      stride *= inShape[i];
    }
    int size = oclc.ir.Tensor.elementCount(outShape);
    int[] map = new int[size];
    int[] counter = new int[rank];
    int source = 0;
    for (int flat = 0; flat < size; flat++) {
      map[flat] = source;
      for (int axis = rank - 1; axis >= 0; axis--) {
        counter[axis]++;
        source += (int) inStrides[axis];
        if (counter[axis] < outShape[axis]) {
          break;
        }
        source -= (int) (inStrides[axis] * outShape[axis]);
        counter[axis] = 0;
      }
    }
    return map;
  }
}
