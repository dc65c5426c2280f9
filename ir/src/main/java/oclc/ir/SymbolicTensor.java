package oclc.ir;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.function.ToLongFunction;

/**
 * A small integer tensor whose elements are {@link Dim} expressions: the value of shape arithmetic
 * such as {@code Concat(Unsqueeze(Gather(Shape(x), 1)), [-1])}. Its own shape is static.
 */
public record SymbolicTensor(DType dtype, long[] shape, List<Dim> elements) {

  public SymbolicTensor {
    shape = shape.clone();
    elements = List.copyOf(elements);
    if (Tensor.elementCount(shape) != elements.size()) {
      throw new IllegalArgumentException(
          elements.size() + " elements for shape " + Arrays.toString(shape));
    }
  }

  public static SymbolicTensor vector(DType dtype, List<Dim> elements) {
    return new SymbolicTensor(dtype, new long[] {elements.size()}, elements);
  }

  public static SymbolicTensor scalar(DType dtype, Dim element) {
    return new SymbolicTensor(dtype, new long[0], List.of(element));
  }

  /** The integer elements of a tensor, as constant dims. */
  public static SymbolicTensor of(Tensor t) {
    long[] values = t.toLongArray();
    return new SymbolicTensor(
        t.dtype(), t.shape(), Arrays.stream(values).mapToObj(Dim::of).toList());
  }

  @Override
  public long[] shape() {
    return shape.clone();
  }

  public int size() {
    return elements.size();
  }

  public Dim element(int i) {
    return elements.get(i);
  }

  public boolean isConstant() {
    return elements.stream().allMatch(Dim::isConstant);
  }

  /** The tensor, when every element is a constant. */
  public Optional<Tensor> toConstant() {
    if (!isConstant()) {
      return Optional.empty();
    }
    return Optional.of(
        Tensor.ofLongs(dtype, shape, elements.stream().mapToLong(Dim::constant).toArray()));
  }

  /** The tensor once every symbol has a value. */
  public Tensor evaluate(ToLongFunction<String> symbolValues) {
    return Tensor.ofLongs(
        dtype, shape, elements.stream().mapToLong(d -> d.evaluate(symbolValues)).toArray());
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof SymbolicTensor other
        && dtype == other.dtype
        && Arrays.equals(shape, other.shape)
        && elements.equals(other.elements);
  }

  @Override
  public int hashCode() {
    return 31 * Arrays.hashCode(shape) + elements.hashCode();
  }

  @Override
  public String toString() {
    return dtype + Arrays.toString(shape) + " " + elements;
  }
}
