package oclc.ir.ops;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import oclc.ir.Dim;
import oclc.ir.InferenceContext;
import oclc.ir.Shape;
import oclc.ir.SymbolicTensor;
import oclc.ir.TensorType;

/**
 * Squeeze and Unsqueeze: remove or insert dims of size 1. Axes come from an attribute before opset
 * 13 and from an input after.
 */
final class SqueezeOp extends MovementOp {
  @Override
  public boolean viewsFirstInput() {
    return true;
  }

  private final boolean insert;

  SqueezeOp(boolean insert) {
    this.insert = insert;
  }

  @Override
  public String opType() {
    return insert ? "Unsqueeze" : "Squeeze";
  }

  private Optional<long[]> axes(InferenceContext context) {
    if (context.opset() < 13) {
      return Optional.ofNullable(context.attributes().getInts("axes", null));
    }
    if (!context.hasInput(1)) {
      return Optional.empty();
    }
    SymbolicTensor axes = context.requireSymbolicInput(1, "axes");
    if (!axes.isConstant()) {
      throw context.error("the axes must be constants, not " + axes.elements());
    }
    return Optional.of(axes.elements().stream().mapToLong(Dim::constant).toArray());
  }

  private Optional<long[]> axes(Arguments arguments) {
    if (arguments.opset() < 13) {
      return Optional.ofNullable(arguments.attributes().getInts("axes", null));
    }
    return arguments.inputCount() > 1 ? arguments.values(1) : Optional.empty();
  }

  @Override
  public List<TensorType> inferTypes(InferenceContext context) {
    List<Dim> in = context.inputShape(0).dims();
    Optional<long[]> axes = axes(context);
    List<Dim> out = new ArrayList<>();
    if (insert) {
      int rank = in.size() + axes.orElseThrow(() -> context.error("Unsqueeze needs axes")).length;
      TreeSet<Integer> inserted = new TreeSet<>();
      for (long a : axes.get()) {
        if (!inserted.add(Axes.normalize(context, a, rank))) {
          throw context.error(
              "axis " + a + " appears twice in the axes " + Arrays.toString(axes.get()));
        }
      }
      for (int i = 0, source = 0; i < rank; i++) {
        out.add(inserted.contains(i) ? Dim.of(1) : in.get(source++));
      }
    } else {
      TreeSet<Integer> removed = new TreeSet<>();
      if (axes.isPresent()) {
        for (long a : axes.get()) {
          removed.add(Axes.normalize(context, a, in.size()));
        }
      } else {
        for (int i = 0; i < in.size(); i++) {
          if (in.get(i).equals(Dim.of(1))) {
            removed.add(i);
          }
        }
      }
      for (int i = 0; i < in.size(); i++) {
        if (removed.contains(i)) {
          if (in.get(i).isConstant() && in.get(i).constant() != 1) {
            throw context.error("cannot squeeze axis " + i + " of size " + in.get(i));
          }
          // A symbolic dim squeezed by name must be 1: checked once the symbols are bound.
          context.assume(in.get(i), Dim.of(1), "squeezed axis " + i + " has size 1");
        } else {
          out.add(in.get(i));
        }
      }
    }
    return List.of(new TensorType(context.inputDType(0), new Shape(out)));
  }

  @Override
  ElementSources sources(Arguments arguments) {
    long[] in = arguments.shape(0);
    Optional<long[]> axes = axes(arguments);
    List<Long> out = new ArrayList<>();
    if (insert) {
      int rank = in.length + axes.orElseThrow().length;
      TreeSet<Integer> inserted = new TreeSet<>();
      for (long a : axes.get()) {
        inserted.add(Axes.normalize(a, rank));
      }
      for (int i = 0, source = 0; i < rank; i++) {
        out.add(inserted.contains(i) ? 1 : in[source++]);
      }
    } else {
      TreeSet<Integer> removed = new TreeSet<>();
      axes.ifPresent(
          list -> {
            for (long a : list) {
              removed.add(Axes.normalize(a, in.length));
            }
          });
      for (int i = 0; i < in.length; i++) {
        boolean squeeze = axes.isPresent() ? removed.contains(i) : in[i] == 1;
        if (squeeze && in[i] != 1) {
          throw new IllegalArgumentException("cannot squeeze axis " + i + " of size " + in[i]);
        }
        if (!squeeze) {
          out.add(in[i]);
        }
      }
    }
    return ReshapeOp.identity(out.stream().mapToLong(Long::longValue).toArray());
  }
}
