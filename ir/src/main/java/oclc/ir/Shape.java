package oclc.ir;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.ToLongFunction;

/** The dims of a tensor, each a symbolic {@link Dim}. */
public record Shape(List<Dim> dims) {

  public Shape {
    dims = List.copyOf(dims);
  }

  public static Shape of(Dim... dims) {
    return new Shape(Arrays.asList(dims));
  }

  public static Shape of(long... sizes) {
    return new Shape(Arrays.stream(sizes).mapToObj(Dim::of).toList());
  }

  public static Shape scalar() {
    return new Shape(List.of());
  }

  public int rank() {
    return dims.size();
  }

  public Dim dim(int axis) {
    return dims.get(axis);
  }

  public boolean isStatic() {
    return dims.stream().allMatch(Dim::isConstant);
  }

  /** The sizes of a static shape; throws for a symbolic one. */
  public long[] toLongs() {
    return dims.stream().mapToLong(Dim::constant).toArray();
  }

  /** The sizes once every symbol has a value. */
  public long[] evaluate(ToLongFunction<String> symbolValues) {
    return Dim.evaluate(dims, symbolValues);
  }

  /** The number of elements, as an expression. */
  public Dim elementCount() {
    Dim count = Dim.of(1);
    for (Dim d : dims) {
      count = count.times(d);
    }
    return count;
  }

  public Shape withDim(int axis, Dim dim) {
    List<Dim> copy = new ArrayList<>(dims);
    copy.set(axis, dim);
    return new Shape(copy);
  }

  @Override
  public String toString() {
    return dims.toString();
  }
}
