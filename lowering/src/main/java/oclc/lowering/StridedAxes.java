package oclc.lowering;

import java.util.ArrayList;
import java.util.List;
import oclc.ir.Dim;

/**
 * A window of elements walked with several stride tables at once (an input, an output, an index
 * buffer), outermost axis first. {@link #collapse} drops axes of extent 1 and merges neighbours
 * that stay contiguous in every table, so kernels address memory with as few multiply-adds as the
 * layout allows.
 */
public record StridedAxes(List<Dim> extents, List<List<Dim>> strides) {
  public StridedAxes {
    extents = List.copyOf(extents);
    strides = strides.stream().map(List::copyOf).toList();
  }

  public static StridedAxes collapse(List<Dim> extents, List<List<Dim>> strides) {
    List<Dim> e = new ArrayList<>();
    List<List<Dim>> s = new ArrayList<>();
    for (int t = 0; t < strides.size(); t++) {
      s.add(new ArrayList<>());
    }
    for (int a = 0; a < extents.size(); a++) {
      Dim extent = extents.get(a);
      if (Dims.isOne(extent)) {
        continue;
      }
      int last = e.size() - 1;
      boolean contiguous = last >= 0;
      for (int t = 0; t < strides.size() && contiguous; t++) {
        contiguous = s.get(t).get(last).equals(strides.get(t).get(a).times(extent));
      }
      if (contiguous) {
        e.set(last, e.get(last).times(extent));
        for (int t = 0; t < strides.size(); t++) {
          s.get(t).set(last, strides.get(t).get(a));
        }
      } else {
        e.add(extent);
        for (int t = 0; t < strides.size(); t++) {
          s.get(t).add(strides.get(t).get(a));
        }
      }
    }
    return new StridedAxes(e, s);
  }

  public int rank() {
    return extents.size();
  }

  public List<Dim> strides(int table) {
    return strides.get(table);
  }

  /** The same window with axes of extent 1 (stride 0) put in front, up to {@code rank} axes. */
  public StridedAxes padded(int rank) {
    if (rank() > rank) {
      throw new IllegalArgumentException(
          "a window over "
              + extents
              + " needs "
              + rank()
              + " axes; at most "
              + rank
              + " are supported");
    }
    List<Dim> e = new ArrayList<>(extents);
    List<List<Dim>> s = new ArrayList<>();
    strides.forEach(table -> s.add(new ArrayList<>(table)));
    while (e.size() < rank) {
      e.addFirst(Dim.of(1));
      s.forEach(table -> table.addFirst(Dim.of(0)));
    }
    return new StridedAxes(e, s);
  }

  /** This window with one more outermost axis that is never merged (a loop whose order matters). */
  public StridedAxes withOuterAxis(Dim extent, List<Dim> axisStrides) {
    List<Dim> e = new ArrayList<>(extents);
    e.addFirst(extent);
    List<List<Dim>> s = new ArrayList<>();
    for (int t = 0; t < strides.size(); t++) {
      List<Dim> table = new ArrayList<>(strides.get(t));
      table.addFirst(axisStrides.get(t));
      s.add(table);
    }
    return new StridedAxes(e, s);
  }
}
