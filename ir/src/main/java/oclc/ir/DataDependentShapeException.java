package oclc.ir;

/**
 * An output shape depends on input values that are only known at run time (a shape or axes fed as a
 * graph input). Shape inference leaves such outputs untyped; the executor learns them by running.
 */
public final class DataDependentShapeException extends ShapeInferenceException {
  public DataDependentShapeException(String message) {
    super(message);
  }
}
