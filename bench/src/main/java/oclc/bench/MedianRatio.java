package oclc.bench;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * One engine's median time over another's, with a bootstrap interval: each of {@link #RESAMPLES}
 * resamples draws as many times as each sample has, with replacement and from each sample apart,
 * and takes the ratio of the two medians; the interval runs between the resampled ratios' {@code (1
 * - level) / 2} and {@code (1 + level) / 2} quantiles. Seeded, so that a report is the same when
 * its times are. A target is met only when the whole interval is at or under it ({@link #within}).
 */
public record MedianRatio(double ratio, double low, double high) {
  public static final int RESAMPLES = 2000;
  public static final double LEVEL = 0.90;
  public static final long SEED = 22;

  public MedianRatio {
    if (!(low <= ratio && ratio <= high)) {
      throw new IllegalArgumentException(
          "an interval [" + low + ", " + high + "] without its ratio " + ratio);
    }
  }

  /** The ratio of {@code ours}'s median to {@code theirs}'s, with the 90% interval, seeded. */
  public static MedianRatio of(double[] ours, double[] theirs) {
    return of(ours, theirs, RESAMPLES, LEVEL, SEED);
  }

  public static MedianRatio of(
      double[] ours, double[] theirs, int resamples, double level, long seed) {
    if (ours.length == 0 || theirs.length == 0 || resamples < 1 || !(level > 0 && level < 1)) {
      throw new IllegalArgumentException(
          "a ratio needs samples on both sides, resamples and a level in (0, 1)");
    }
    SplittableRandom random = new SplittableRandom(seed);
    double[] ratios = new double[resamples];
    double[] oursDrawn = new double[ours.length];
    double[] theirsDrawn = new double[theirs.length];
    for (int r = 0; r < resamples; r++) {
      ratios[r] = median(draw(ours, oursDrawn, random)) / median(draw(theirs, theirsDrawn, random));
    }
    Arrays.sort(ratios);
    double ratio = median(ours) / median(theirs);
    // The point estimate lies inside the interval by construction of a report, even where few
    // resamples land near it.
    return new MedianRatio(
        ratio,
        Math.min(ratio, quantile(ratios, (1 - level) / 2)),
        Math.max(ratio, quantile(ratios, (1 + level) / 2)));
  }

  /** Whether the whole interval is at or under {@code target}. */
  public boolean within(double target) {
    return high <= target;
  }

  public static double median(double[] values) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    int n = sorted.length;
    return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
  }

  /** The {@code q} quantile of sorted values: the nearest rank, {@code round(q · (n - 1))}. */
  static double quantile(double[] sorted, double q) {
    return sorted[(int) Math.round(q * (sorted.length - 1))];
  }

  private static double[] draw(double[] sample, double[] into, SplittableRandom random) {
    for (int i = 0; i < into.length; i++) {
      into[i] = sample[random.nextInt(sample.length)];
    }
    return into;
  }
}
