package oclc.compiler.generate;

import java.util.Arrays;
import java.util.HashSet;
import java.util.Random;
import java.util.Set;

/**
 * Picks the next token from a row of logits as its {@link Sampling} says: the most likely one, or a
 * sample at a temperature among the top k and the top p, after the repetition penalty on the tokens
 * it has seen (the prompt it was told of and the tokens it chose). One chooser per sequence.
 */
public final class TokenChooser {
  private final Sampling sampling;
  private final Random random;
  private final Set<Long> seen = new HashSet<>();

  /** {@code temperature} 0 is greedy; {@code topK} 0 keeps every token. */
  public TokenChooser(double temperature, int topK, long seed) {
    this(new Sampling(temperature, topK, 1, 1, seed));
  }

  public TokenChooser(Sampling sampling) {
    this.sampling = sampling;
    this.random = new Random(sampling.seed());
  }

  public static TokenChooser greedy() {
    return new TokenChooser(Sampling.greedy());
  }

  public Sampling sampling() {
    return sampling;
  }

  /** Counts the prompt's tokens as seen, for the repetition penalty. */
  public TokenChooser remember(long[] prompt) {
    for (long id : prompt) {
      seen.add(id);
    }
    return this;
  }

  public int choose(float[] logits) {
    int chosen = pick(penalized(logits));
    seen.add((long) chosen);
    return chosen;
  }

  private float[] penalized(float[] logits) {
    double penalty = sampling.repetitionPenalty();
    if (penalty == 1 || seen.isEmpty()) {
      return logits;
    }
    float[] out = logits.clone();
    for (long id : seen) {
      if (id >= 0 && id < out.length) {
        int i = (int) id;
        out[i] = (float) (out[i] > 0 ? out[i] / penalty : out[i] * penalty);
      }
    }
    return out;
  }

  private int pick(float[] logits) {
    if (sampling.temperature() == 0) {
      int best = 0;
      for (int i = 1; i < logits.length; i++) {
        if (logits[i] > logits[best]) {
          best = i;
        }
      }
      return best;
    }
    int topK = sampling.topK();
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
      weights[i] = logits[i] < cutoff ? 0 : Math.exp((logits[i] - max) / sampling.temperature());
      total += weights[i];
    }
    if (sampling.topP() < 1) {
      total = keepNucleus(weights, total, sampling.topP());
    }
    double u = random.nextDouble() * total;
    for (int i = 0; i < weights.length; i++) {
      u -= weights[i];
      if (u < 0 && weights[i] > 0) {
        return i;
      }
    }
    for (int i = weights.length - 1; i >= 0; i--) {
      if (weights[i] > 0) {
        return i; // rounding left u at 0: the last kept token
      }
    }
    return logits.length - 1;
  }

  /**
   * Zeroes every weight outside the fewest most likely tokens whose share reaches {@code topP} (the
   * most likely always kept); returns the kept weights' total.
   */
  private static double keepNucleus(double[] weights, double total, double topP) {
    Integer[] order = new Integer[weights.length];
    for (int i = 0; i < order.length; i++) {
      order[i] = i;
    }
    Arrays.sort(order, (a, b) -> Double.compare(weights[b], weights[a]));
    double kept = 0;
    int i = 0;
    while (i < order.length && (i == 0 || kept < topP * total)) {
      kept += weights[order[i]];
      i++;
    }
    for (; i < order.length; i++) {
      weights[order[i]] = 0;
    }
    return kept;
  }
}
