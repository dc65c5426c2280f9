package oclc.ir;

/** A named value of the graph with its type. */
public record ValueInfo(String name, TensorType type) {

  /** A float32 value of the given dims, as a graph spelled by hand declares its inputs. */
  public static ValueInfo float32(String name, Dim... dims) {
    return new ValueInfo(name, new TensorType(DType.FLOAT32, Shape.of(dims)));
  }

  public DType dtype() {
    return type.dtype();
  }

  public Shape shape() {
    return type.shape();
  }
}
