package oclc.ir.exec;

import oclc.ir.OclcException;

/** A bound input does not match the model: wrong or missing input, dtype, rank or size. */
public final class InputShapeException extends OclcException {
  public InputShapeException(String message) {
    super(message);
  }
}
