package oclc.lowering;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import oclc.ir.Dim;

/** Small helpers over lists of dims: the shapes and strides that launch geometry is made of. */
public final class Dims {
  private Dims() {}

  public static List<Dim> of(long... sizes) {
    return Arrays.stream(sizes).mapToObj(Dim::of).toList();
  }

  /** The values of dims that are all constants. */
  public static long[] constants(List<Dim> dims) {
    return dims.stream().mapToLong(Dim::constant).toArray();
  }

  /**
   * {@code d} rounded up to a multiple of {@code multiple} (a launch axis padded to whole
   * work-groups).
   */
  public static Dim roundUp(Dim d, long multiple) {
    return multiple == 1 ? d : d.ceilDiv(Dim.of(multiple)).times(multiple);
  }

  public static boolean isOne(Dim d) {
    return d.isConstant() && d.constant() == 1;
  }

  public static Dim product(List<Dim> dims) {
    Dim p = Dim.of(1);
    for (Dim d : dims) {
      p = p.times(d);
    }
    return p;
  }

  /** Element strides of a row-major tensor of this shape. */
  public static List<Dim> rowMajorStrides(List<Dim> shape) {
    Dim[] strides = new Dim[shape.size()];
    Dim stride = Dim.of(1);
    for (int axis = shape.size() - 1; axis >= 0; axis--) {
      strides[axis] = stride;
      stride = stride.times(shape.get(axis));
    }
    return new ArrayList<>(Arrays.asList(strides));
  }
}
