package oclc.artifact;

import oclc.ir.OclcException;

/** An artifact folder is missing, incomplete, damaged or of another format version. */
public sealed class ArtifactException extends OclcException permits DamagedParamException {
  public ArtifactException(String message) {
    super(message);
  }

  public ArtifactException(String message, Throwable cause) {
    super(message, cause);
  }
}
