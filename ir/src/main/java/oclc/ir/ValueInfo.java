package oclc.ir;

/** A named value of the graph with its type. */
public record ValueInfo(String name, TensorType type) {

  public DType dtype() {
    return type.dtype();
  }

  public Shape shape() {
    return type.shape();
  }
}
