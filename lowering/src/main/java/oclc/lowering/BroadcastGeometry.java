package oclc.lowering;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import oclc.ir.Dim;

/**
 * The launch geometry of a broadcast elementwise kernel: the output collapsed to three axes, with
 * each input's element stride per axis (0 where it is broadcast). Neighbouring axes merge when
 * every input treats them alike, so [batch, seq, 64] + [64] runs as [1, batch·seq, 64]. The kernel
 * then computes every address with multiply-adds, never a division. When three axes do not suffice
 * the geometry has four, and the kernel loops over the outermost inside each work-item.
 *
 * <p>Sizes are dims: which axes broadcast is decided from the shapes as inferred (an input dim of
 * constant 1 against a larger output dim), so one geometry serves every binding of the symbols.
 */
public record BroadcastGeometry(List<Dim> extents, List<List<Dim>> inputStrides) {
  /** The most collapsed axes a broadcast kernel takes: three from the work-items, one looped. */
  public static final int MAXIMUM_AXES = 4;

  public static BroadcastGeometry of(List<Dim> output, List<List<Dim>> inputs) {
    int rank = output.size();
    List<List<Dim>> aligned = inputs.stream().map(in -> aligned(in, rank)).toList();
    for (int k = 0; k < inputs.size(); k++) {
      for (int axis = 0; axis < rank; axis++) {
        Dim d = aligned.get(k).get(axis);
        if (!Dims.isOne(d) && !d.equals(output.get(axis))) {
          throw new IllegalArgumentException(
              "input "
                  + k
                  + " dim "
                  + d
                  + " neither matches output dim "
                  + output.get(axis)
                  + " nor broadcasts (is 1)");
        }
      }
    }
    // Collapse runs of axes with the same broadcast pattern, from the innermost out.
    List<Dim[]> axes = new ArrayList<>(); // {extent, stride of input 0, stride of input 1, ...}
    Dim[] strides = new Dim[inputs.size()];
    Arrays.fill(strides, Dim.of(1));
    for (int axis = rank - 1; axis >= 0; axis--) {
      if (Dims.isOne(output.get(axis))) {
        continue;
      }
      Dim[] last = axes.isEmpty() ? null : axes.get(axes.size() - 1);
      boolean mergeable = last != null;
      for (int k = 0; k < inputs.size() && mergeable; k++) {
        boolean broadcast = Dims.isOne(aligned.get(k).get(axis));
        boolean lastBroadcast = last[k + 1].equals(Dim.of(0));
        mergeable =
            lastBroadcast == broadcast
                && (broadcast || last[k + 1].times(last[0]).equals(strides[k]));
      }
      if (mergeable) {
        last[0] = last[0].times(output.get(axis));
      } else {
        Dim[] entry = new Dim[inputs.size() + 1];
        entry[0] = output.get(axis);
        for (int k = 0; k < inputs.size(); k++) {
          entry[k + 1] = Dims.isOne(aligned.get(k).get(axis)) ? Dim.of(0) : strides[k];
        }
        axes.add(entry);
      }
      for (int k = 0; k < inputs.size(); k++) {
        strides[k] = strides[k].times(aligned.get(k).get(axis));
      }
    }
    if (axes.size() > MAXIMUM_AXES) {
      throw new IllegalArgumentException(
          "broadcast of "
              + inputs
              + " to "
              + output
              + " needs "
              + axes.size()
              + " axes; at most "
              + MAXIMUM_AXES
              + " are supported");
    }
    int count = Math.max(3, axes.size());
    Dim[] extents = new Dim[count];
    Arrays.fill(extents, Dim.of(1));
    Dim[][] inputStrides = new Dim[inputs.size()][count];
    for (Dim[] row : inputStrides) {
      Arrays.fill(row, Dim.of(0));
    }
    for (int i = 0; i < axes.size(); i++) {
      extents[count - 1 - i] = axes.get(i)[0];
      for (int k = 0; k < inputs.size(); k++) {
        inputStrides[k][count - 1 - i] = axes.get(i)[k + 1];
      }
    }
    return new BroadcastGeometry(
        List.of(extents), Arrays.stream(inputStrides).map(List::of).toList());
  }

  /** The same for static shapes. */
  public static BroadcastGeometry of(long[] output, long[]... inputs) {
    return of(Dims.of(output), Arrays.stream(inputs).map(Dims::of).toList());
  }

  private static List<Dim> aligned(List<Dim> shape, int rank) {
    List<Dim> out = new ArrayList<>();
    for (int i = 0; i < rank - shape.size(); i++) {
      out.add(Dim.of(1));
    }
    out.addAll(shape);
    return out;
  }

  /** 3, or 4 where the outermost axis is looped inside each work-item. */
  public int axisCount() {
    return extents.size();
  }

  /**
   * The global work size, innermost axis first, as the kernel reads its ids (never the looped
   * axis).
   */
  public List<Dim> globalSize() {
    int last = extents.size() - 1;
    return List.of(extents.get(last), extents.get(last - 1), extents.get(last - 2));
  }

  /**
   * The kernel's integer arguments after its buffers: extents 1 and 2 (with four axes, extents 0 to
   * 3), then each input's strides.
   */
  public List<Dim> scalarArguments() {
    List<Dim> args = new ArrayList<>(axisCount() == 3 ? extents.subList(1, 3) : extents);
    inputStrides.forEach(args::addAll);
    return args;
  }
}
