package oclc.ir.ops;

import java.util.ArrayList;
import java.util.List;
import oclc.ir.DType;
import oclc.ir.Dim;
import oclc.ir.EvaluationContext;
import oclc.ir.InferenceContext;
import oclc.ir.OpDefinition;
import oclc.ir.Shape;
import oclc.ir.Tensor;
import oclc.ir.TensorType;

/**
 * LayerNormalization (opset 17) and RMSNormalization (opset 23): each row from {@code axis} on is
 * normalized (centred first for LayerNormalization), then scaled and (LayerNormalization) shifted.
 * LayerNormalization's optional outputs are the mean and the inverse standard deviation.
 */
record LayerNormalizationOp(boolean rms) implements OpDefinition, NormalizesRows {
  @Override
  public String opType() {
    return rms ? "RMSNormalization" : "LayerNormalization";
  }

  @Override
  public RowAxes rowAxes(InferenceContext context) {
    int rank = context.inputShape(0).rank();
    return new RowAxes(
        Axes.normalize(context, context.attributes().getInt("axis", -1), rank), rank - 1);
  }

  @Override
  public List<TensorType> inferTypes(InferenceContext context) {
    Shape in = context.inputShape(0);
    int axis = Axes.normalize(context, context.attributes().getInt("axis", -1), in.rank());
    List<Dim> statsShape = new ArrayList<>(in.dims().subList(0, axis));
    for (int i = axis; i < in.rank(); i++) {
      statsShape.add(Dim.of(1));
    }
    DType statsType =
        DType.fromOnnxCode((int) context.attributes().getInt("stash_type", 1))
            .orElse(DType.FLOAT32);
    TensorType stats = new TensorType(statsType, new Shape(statsShape));
    return List.of(context.inputType(0), stats, stats);
  }

  @Override
  public List<Tensor> evaluate(EvaluationContext context) {
    Tensor x = context.input(0);
    long[] shape = x.shape();
    int axis = Axes.normalize(context.attributes().getInt("axis", -1), shape.length);
    double epsilon = context.attributes().getFloat("epsilon", 1e-5f);
    int rowLength = (int) Indexing.product(shape, axis, shape.length);
    int rows = rowLength == 0 ? 0 : x.size() / rowLength;
    Tensor scale = context.input(1);
    int[] scaleMap =
        Broadcast.indexMap(new long[] {rowLength}, flattenedTail(scale.shape(), rowLength));
    int[] biasMap =
        context.hasInput(2) && !rms
            ? Broadcast.indexMap(
                new long[] {rowLength}, flattenedTail(context.input(2).shape(), rowLength))
            : null;
    long[] statsShape = shape.clone();
    for (int i = axis; i < shape.length; i++) {
      statsShape[i] = 1;
    }
    DType statsType =
        DType.fromOnnxCode((int) context.attributes().getInt("stash_type", 1))
            .orElse(DType.FLOAT32);
    Tensor means = Tensor.allocate(statsType, statsShape);
    Tensor inverseDeviations = Tensor.allocate(statsType, statsShape);
    Tensor y = Tensor.allocate(x.dtype(), shape);
    for (int r = 0; r < rows; r++) {
      int base = r * rowLength;
      double mean = 0;
      if (!rms) {
        for (int i = 0; i < rowLength; i++) {
          mean += x.getDouble(base + i);
        }
        mean /= rowLength;
      }
      double variance = 0;
      for (int i = 0; i < rowLength; i++) {
        double d = x.getDouble(base + i) - mean;
        variance += d * d;
      }
      variance /= rowLength;
      double inverse = 1 / Math.sqrt(variance + epsilon);
      means.setDouble(r, mean);
      inverseDeviations.setDouble(r, inverse);
      for (int i = 0; i < rowLength; i++) {
        double v = (x.getDouble(base + i) - mean) * inverse * scale.getDouble(scaleMap[i]);
        if (biasMap != null) {
          v += context.input(2).getDouble(biasMap[i]);
        }
        y.setDouble(base + i, v);
      }
    }
    return List.of(y, means, inverseDeviations);
  }

  /** A scale of shape [.., d] as a row of the normalized length, broadcast where it is shorter. */
  private static long[] flattenedTail(long[] shape, int rowLength) {
    int size = Tensor.elementCount(shape);
    return size == rowLength ? new long[] {rowLength} : new long[] {size};
  }
}
