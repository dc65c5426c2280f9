package oclc.ir.ops;

import java.util.List;
import oclc.ir.InferenceContext;
import oclc.ir.TensorType;

/**
 * ReverseSequence: for batch entry b, the first {@code sequence_lens[b]} steps along {@code
 * time_axis} are reversed and the rest are copied as they are.
 */
final class ReverseSequenceOp extends MovementOp {
  @Override
  public String opType() {
    return "ReverseSequence";
  }

  @Override
  public List<TensorType> inferTypes(InferenceContext context) {
    int rank = context.inputShape(0).rank();
    if (rank < 2) {
      throw context.error("needs an input of rank 2 or more, got " + context.inputShape(0));
    }
    int batchAxis = Axes.normalize(context, context.attributes().getInt("batch_axis", 1), rank);
    int timeAxis = Axes.normalize(context, context.attributes().getInt("time_axis", 0), rank);
    if (batchAxis == timeAxis) {
      throw context.error("batch_axis and time_axis are both " + batchAxis);
    }
    return List.of(context.inputType(0));
  }

  @Override
  ElementSources sources(Arguments arguments) {
    long[] shape = arguments.shape(0);
    long[] lengths = arguments.values(1).orElseThrow();
    int batchAxis = Axes.normalize(arguments.attributes().getInt("batch_axis", 1), shape.length);
    int timeAxis = Axes.normalize(arguments.attributes().getInt("time_axis", 0), shape.length);
    long[] strides = Indexing.strides(shape);
    long[] position = new long[shape.length];
    int[] index = new int[Indexing.size(shape)];
    for (int i = 0; i < index.length; i++) {
      Indexing.unravel(i, shape, position);
      long length = Math.min(lengths[(int) position[batchAxis]], shape[timeAxis]);
      if (position[timeAxis] < length) {
        position[timeAxis] = length - 1 - position[timeAxis];
      }
      index[i] = (int) Indexing.ravel(position, strides);
    }
    return ElementSources.ofSingleInput(shape, index);
  }
}
