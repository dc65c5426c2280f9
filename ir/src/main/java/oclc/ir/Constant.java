package oclc.ir;

/**
 * A value known at compile time: a tensor, or a tensor of dim expressions known once the symbols
 * are bound.
 */
public sealed interface Constant {

  TensorType type();

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
