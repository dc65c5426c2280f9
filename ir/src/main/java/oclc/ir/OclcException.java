package oclc.ir;

import java.util.List;
import java.util.Optional;

/**
 * An error that oclc reports to its user: the message says what and where; where a change of the
 * compile or the run fixes it, {@link #remedy()} says which, and the front end says how.
 */
public class OclcException extends RuntimeException {
  private final Remedy remedy;
  private final List<String> subjects;

  public OclcException(String message) {
    super(message);
    this.remedy = null;
    this.subjects = List.of();
  }

  /** The same; a cause that is an OclcException passes its remedy on. */
  public OclcException(String message, Throwable cause) {
    super(message, cause);
    this.remedy = cause instanceof OclcException known ? known.remedy : null;
    this.subjects = cause instanceof OclcException known ? known.subjects : List.of();
  }

  /** An error that {@code remedy} fixes, for {@code subjects} (the symbols or device it names). */
  public OclcException(String message, Remedy remedy, String... subjects) {
    super(message);
    this.remedy = remedy;
    this.subjects = List.of(subjects);
  }

  /** What fixes it, where a change of the compile or the run does. */
  public Optional<Remedy> remedy() {
    return Optional.ofNullable(remedy);
  }

  /** What the remedy applies to: the symbol of {@link Remedy#WIDEN_DIM}, a device. */
  public List<String> subjects() {
    return subjects;
  }
}
