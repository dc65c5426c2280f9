package oclc.ir.exec;

import oclc.ir.OclcException;
import oclc.ir.Remedy;

/** A bound input does not match the model: wrong or missing input, dtype, rank or size. */
public final class InputShapeException extends OclcException {
  public InputShapeException(String message) {
    super(message);
  }

  /**
   * One that {@code remedy} fixes, e.g. a size outside the compiled range ({@link Remedy#WIDEN_DIM}
   * of its symbol).
   */
  public InputShapeException(String message, Remedy remedy, String... subjects) {
    super(message, remedy, subjects);
  }
}
