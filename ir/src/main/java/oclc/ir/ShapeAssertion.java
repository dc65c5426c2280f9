package oclc.ir;

/**
 * A fact about the symbols that shape inference relied on, such as {@code past_sequence_length +
 * sequence_length <= 128} for a slice of a 128-long mask; checked when the symbols are bound.
 */
public record ShapeAssertion(Dim lessOrEqual, Dim bound, String reason) {

  @Override
  public String toString() {
    return lessOrEqual + " <= " + bound + " (" + reason + ")";
  }
}
