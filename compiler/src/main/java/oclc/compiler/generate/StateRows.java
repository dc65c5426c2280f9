package oclc.compiler.generate;

import java.nio.ByteBuffer;
import java.util.List;
import oclc.ir.Tensor;

/**
 * Rebuilds a batch's state tensor row by row, for rows that join and leave a running batch: each
 * output row is a row of some source tensor, moved along the growing axis (the positions) by a
 * shift, zeros where no source position lands. Whole runs of bytes are copied: everything after the
 * growing axis is contiguous.
 */
final class StateRows {
  private StateRows() {}

  /**
   * Where output row r comes from: row {@code row} of {@code tensor}, its positions moved right by
   * {@code shift} (negative: the first -shift positions dropped).
   */
  record Source(Tensor tensor, int row, long shift) {}

  /**
   * A state of {@code rows.size()} rows on {@code batchAxis} and {@code length} positions on {@code
   * growingAxis} (after the batch axis), the other axes those of the sources.
   */
  static Tensor regrouped(List<Source> rows, int batchAxis, int growingAxis, long length) {
    if (batchAxis >= growingAxis) {
      throw new IllegalArgumentException(
          "a state whose batch axis " + batchAxis + " is not before its growing axis");
    }
    Tensor first = rows.getFirst().tensor();
    long[] shape = first.shape().clone();
    shape[batchAxis] = rows.size();
    shape[growingAxis] = length;
    Tensor out = Tensor.allocate(first.dtype(), shape);
    int elementBytes = first.dtype().byteSize();
    long inner = 1;
    for (int axis = growingAxis + 1; axis < shape.length; axis++) {
      inner *= shape[axis];
    }
    long positionBytes = inner * elementBytes;
    ByteBuffer target = out.writableData();
    ByteBuffer[] data = rows.stream().map(r -> r.tensor().data()).toArray(ByteBuffer[]::new);
    long[] index = new long[growingAxis];
    long outer = 1;
    for (int axis = 0; axis < growingAxis; axis++) {
      outer *= shape[axis];
    }
    for (long o = 0; o < outer; o++) {
      long rest = o;
      for (int axis = growingAxis - 1; axis >= 0; axis--) {
        index[axis] = rest % shape[axis];
        rest /= shape[axis];
      }
      int outputRow = (int) index[batchAxis];
      Source source = rows.get(outputRow);
      Tensor from = source.tensor();
      long sourceLength = from.dim(growingAxis);
      long start = Math.max(0, source.shift());
      long end = Math.min(length, sourceLength + source.shift());
      if (end <= start) {
        continue;
      }
      long targetRun = 0;
      long sourceRun = 0;
      for (int axis = 0; axis < growingAxis; axis++) {
        long sourceIndex = axis == batchAxis ? source.row() : index[axis];
        targetRun = targetRun * shape[axis] + index[axis];
        sourceRun = sourceRun * from.dim(axis) + sourceIndex;
      }
      long targetOffset = (targetRun * length + start) * positionBytes;
      long sourceOffset = (sourceRun * sourceLength + start - source.shift()) * positionBytes;
      target.put(
          (int) targetOffset,
          data[outputRow],
          (int) sourceOffset,
          (int) ((end - start) * positionBytes));
    }
    return out;
  }
}
