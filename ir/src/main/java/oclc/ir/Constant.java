package oclc.ir;

/**
 * A value known at compile time: a tensor, or a tensor of dim expressions known once the symbols
 * are bound.
 */
public sealed interface Constant {

  TensorType type();

  /** A float32 scalar (rank 0), as a graph spelled by hand holds its constants. */
  static Constant scalar(float value) {
    return new Data(Tensor.ofFloats(new long[0], value));
  }

  /** Weights and folded constants. */
  record Data(Tensor tensor) implements Constant {
    @Override
    public TensorType type() {
      return new TensorType(tensor.dtype(), Shape.of(tensor.shape()));
    }
  }

  /** Folded shape arithmetic, such as the bounds of a slice of the causal mask. */
  record Symbolic(SymbolicTensor tensor) implements Constant {
    @Override
    public TensorType type() {
      return new TensorType(tensor.dtype(), Shape.of(tensor.shape()));
    }
  }
}
