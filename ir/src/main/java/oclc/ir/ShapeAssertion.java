package oclc.ir;

/**
 * A fact about the symbols that shape inference relied on, checked when the symbols are bound:
 * {@code past_sequence_length + sequence_length <= 128} for a slice of a 128-long mask, or, where
 * {@code equality} holds, {@code total_sequence_length == past_sequence_length + sequence_length}
 * for two dims an op needs equal (a unification: the left symbol then stands for the right side
 * everywhere in the graph's values).
 */
public record ShapeAssertion(Dim lessOrEqual, Dim bound, String reason, boolean equality) {

  /** {@code lessOrEqual <= bound}. */
  public ShapeAssertion(Dim lessOrEqual, Dim bound, String reason) {
    this(lessOrEqual, bound, reason, false);
  }

  /** {@code left == right}. */
  public static ShapeAssertion equal(Dim left, Dim right, String reason) {
    return new ShapeAssertion(left, right, reason, true);
  }

  /** Whether the symbols' values satisfy it. */
  public boolean holds(java.util.function.ToLongFunction<String> symbols) {
    long left = lessOrEqual.evaluate(symbols);
    long right = bound.evaluate(symbols);
    return equality ? left == right : left <= right;
  }

  @Override
  public String toString() {
    return lessOrEqual + (equality ? " == " : " <= ") + bound + " (" + reason + ")";
  }
}
