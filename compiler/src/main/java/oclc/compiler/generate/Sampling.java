package oclc.compiler.generate;

/**
 * How a {@link TokenChooser} picks: {@code temperature} 0 is greedy; above it, a sample among the
 * {@code topK} most likely tokens (0: all) and the fewest whose probability adds up to {@code topP}
 * (1: all); {@code repetitionPenalty} above 1 makes tokens already seen less likely, as Hugging
 * Face's (CTRL's) penalty does: a positive logit divided by it, a negative one multiplied.
 */
public record Sampling(
    double temperature, int topK, double topP, double repetitionPenalty, long seed) {
  public Sampling {
    if (!(temperature >= 0) || topK < 0) {
      throw new IllegalArgumentException("temperature and top-k must not be negative");
    }
    if (!(topP > 0 && topP <= 1)) {
      throw new IllegalArgumentException("top-p must be above 0 and at most 1, not " + topP);
    }
    if (!(repetitionPenalty > 0)) {
      throw new IllegalArgumentException(
          "the repetition penalty must be above 0 (1: none), not " + repetitionPenalty);
    }
  }

  public static Sampling greedy() {
    return new Sampling(0, 0, 1, 1, 0);
  }
}
