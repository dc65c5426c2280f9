package oclc.onnx;

import oclc.ir.OclcException;

/** The model file cannot be read: missing, truncated, corrupt, or inconsistent. */
public final class ModelLoadException extends OclcException {
  public ModelLoadException(String message) {
    super(message);
  }

  public ModelLoadException(String message, Throwable cause) {
    super(message, cause);
  }
}
