package oclc.compiler.generate;

import java.util.Arrays;
import java.util.Random;

/**
 * Picks the next token from a row of logits: the most likely one, or a sample at a temperature
 * among the top k.
 */
public final class TokenChooser {
  private final double temperature;
  private final int topK;
  private final Random random;

  /** {@code temperature} 0 is greedy; {@code topK} 0 keeps every token. */
  public TokenChooser(double temperature, int topK, long seed) {
    if (temperature < 0 || topK < 0) {
      throw new IllegalArgumentException("temperature and top-k must not be negative");
    }
    this.temperature = temperature;
    this.topK = topK;
    this.random = new Random(seed);
  }

  public static TokenChooser greedy() {
    return new TokenChooser(0, 0, 0);
  }

  public int choose(float[] logits) {
    if (temperature == 0) {
      int best = 0;
      for (int i = 1; i < logits.length; i++) {
        if (logits[i] > logits[best]) {
          best = i;
        }
      }
      return best;
    }
    float cutoff = Float.NEGATIVE_INFINITY;
    if (topK > 0 && topK < logits.length) {
      float[] sorted = logits.clone();
      Arrays.sort(sorted);
      cutoff = sorted[sorted.length - topK];
    }
    double max = Double.NEGATIVE_INFINITY;
    for (float l : logits) {
      max = Math.max(max, l);
    }
    double[] weights = new double[logits.length];
    double total = 0;
    for (int i = 0; i < logits.length; i++) {
      weights[i] = logits[i] < cutoff ? 0 : Math.exp((logits[i] - max) / temperature);
      total += weights[i];
    }
    double u = random.nextDouble() * total;
    for (int i = 0; i < weights.length; i++) {
      u -= weights[i];
      if (u < 0 && weights[i] > 0) {
        return i;
      }
    }
    return logits.length - 1;
  }
}
