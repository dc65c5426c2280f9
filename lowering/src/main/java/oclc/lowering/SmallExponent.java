package oclc.lowering;

import java.util.Optional;
import oclc.ir.Tensor;

/**
 * A Pow exponent computed as multiplications: a float constant whose every element is the same
 * integer in 2..4.
 */
public final class SmallExponent {
  private static final int LARGEST = 4;

  private SmallExponent() {}

  public static Optional<Integer> of(Optional<Tensor> constant) {
    if (constant.isEmpty() || !constant.get().dtype().isFloat() || constant.get().size() == 0) {
      return Optional.empty();
    }
    double value = constant.get().getDouble(0);
    for (int i = 1; i < constant.get().size(); i++) {
      if (constant.get().getDouble(i) != value) {
        return Optional.empty();
      }
    }
    boolean small = value == Math.rint(value) && value >= 2 && value <= LARGEST;
    return small ? Optional.of((int) value) : Optional.empty();
  }
}
