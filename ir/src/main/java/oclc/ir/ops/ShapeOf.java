package oclc.ir.ops;

import java.util.List;
import java.util.Optional;
import oclc.ir.DType;
import oclc.ir.Dim;
import oclc.ir.EvaluationContext;
import oclc.ir.InferenceContext;
import oclc.ir.OpDefinition;
import oclc.ir.Shape;
import oclc.ir.SymbolicTensor;
import oclc.ir.Tensor;
import oclc.ir.TensorType;

/** Shape (with start/end from opset 15) and Size: a tensor's dims as data, always known as dims. */
final class ShapeOf implements OpDefinition {
  private final boolean size;

  ShapeOf(boolean size) {
    this.size = size;
  }

  @Override
  public String opType() {
    return size ? "Size" : "Shape";
  }

  /** The dims Shape returns: all, or from opset 15 those in [start, end), clamped to the rank. */
  private List<Dim> selected(Shape shape, oclc.ir.Attributes attributes, long opset) {
    if (size) {
      return List.of(shape.elementCount());
    }
    int rank = shape.rank();
    if (opset < 15) {
      return shape.dims();
    }
    int start = clamp(attributes.getInt("start", 0), rank);
    int end = clamp(attributes.getInt("end", rank), rank);
    return shape.dims().subList(start, Math.max(start, end));
  }

  private static int clamp(long axis, int rank) {
    long a = axis < 0 ? axis + rank : axis;
    return (int) Math.max(0, Math.min(rank, a));
  }

  @Override
  public List<TensorType> inferTypes(InferenceContext context) {
    Shape out =
        size
            ? Shape.scalar()
            : Shape.of(
                selected(context.inputShape(0), context.attributes(), context.opset()).size());
    return List.of(new TensorType(DType.INT64, out));
  }

  @Override
  public List<Tensor> evaluate(EvaluationContext context) {
    List<Dim> dims =
        selected(Shape.of(context.input(0).shape()), context.attributes(), context.opset());
    long[] values = dims.stream().mapToLong(Dim::constant).toArray();
    return List.of(Tensor.ofLongs(size ? new long[0] : new long[] {values.length}, values));
  }

  @Override
  public Optional<List<SymbolicTensor>> evaluateSymbolic(InferenceContext context) {
    List<Dim> dims = selected(context.inputShape(0), context.attributes(), context.opset());
    return Optional.of(
        List.of(
            size
                ? SymbolicTensor.scalar(DType.INT64, dims.get(0))
                : SymbolicTensor.vector(DType.INT64, dims)));
  }
}
