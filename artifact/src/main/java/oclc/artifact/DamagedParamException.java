package oclc.artifact;

/** A param whose bytes in params.bin differ from those compiled: the file was damaged. */
public final class DamagedParamException extends ArtifactException {
  private final String param;

  public DamagedParamException(String message, String param) {
    super(message);
    this.param = param;
  }

  /** The damaged param's name (a tensor of the graph). */
  public String param() {
    return param;
  }
}
