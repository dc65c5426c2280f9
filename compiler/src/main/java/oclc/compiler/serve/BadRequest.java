package oclc.compiler.serve;

/** A request the server refuses, with the HTTP status that says why (400, 413, 429). */
public final class BadRequest extends RuntimeException {
  private final int status;

  public BadRequest(int status, String message) {
    super(message);
    this.status = status;
  }

  public int status() {
    return status;
  }
}
