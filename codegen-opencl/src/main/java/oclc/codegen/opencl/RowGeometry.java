package oclc.codegen.opencl;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SortedSet;
import oclc.ir.Dim;
import oclc.lowering.Dims;

/**
 * A tensor seen as [outer, length, inner]: {@code outer × inner} rows of {@code length} elements,
 * each {@code inner} apart. The row kernels take this view; it exists when the axes of a row are
 * one block once axes of size 1 are set aside.
 */
public record RowGeometry(Dim outer, Dim length, Dim inner) {

  /**
   * Rows made of axes {@code first..last} (inclusive); none ({@code first > last}) makes rows of
   * one element.
   */
  public static RowGeometry ofAxes(List<Dim> shape, int first, int last) {
    int end = Math.max(first, last + 1);
    return new RowGeometry(
        Dims.product(shape.subList(0, Math.min(first, shape.size()))),
        Dims.product(shape.subList(Math.min(first, shape.size()), Math.min(end, shape.size()))),
        Dims.product(shape.subList(Math.min(end, shape.size()), shape.size())));
  }

  /**
   * Rows made of the reduced {@code axes}: axes of size 1 do not count, and the other reduced axes
   * must be adjacent. Empty where they are not (a reduction this view cannot express).
   */
  public static Optional<RowGeometry> ofReduced(List<Dim> shape, SortedSet<Integer> axes) {
    List<Dim> before = new ArrayList<>();
    List<Dim> reduced = new ArrayList<>();
    List<Dim> after = new ArrayList<>();
    for (int axis = 0; axis < shape.size(); axis++) {
      Dim size = shape.get(axis);
      if (Dims.isOne(size)) {
        continue;
      }
      if (axes.contains(axis)) {
        if (!after.isEmpty()) {
          return Optional.empty();
        }
        reduced.add(size);
      } else if (reduced.isEmpty()) {
        before.add(size);
      } else {
        after.add(size);
      }
    }
    if (reduced.isEmpty()) { // every element is its own row: keep the rows contiguous
      before.addAll(after);
      after.clear();
    }
    return Optional.of(
        new RowGeometry(Dims.product(before), Dims.product(reduced), Dims.product(after)));
  }

  /**
   * Whether a row's elements lie apart ({@code inner > 1}), so its groups run over [inner, outer].
   */
  public boolean strided() {
    return !Dims.isOne(inner);
  }
}
