package oclc.ir;

/** The static description of a value: element type and symbolic shape. */
public record TensorType(DType dtype, Shape shape) {

  public int rank() {
    return shape.rank();
  }

  @Override
  public String toString() {
    return dtype + shape.toString();
  }
}
