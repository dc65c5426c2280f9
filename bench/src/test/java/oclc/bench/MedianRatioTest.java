package oclc.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * Known answers of the bench's ratio statistics: samples small enough that the bootstrap's
 * distribution is known exactly, so that a wrong median, quantile or resampling shows.
 */
class MedianRatioTest {
  @Test
  void medianOfOddAndEvenCounts() {
    assertEquals(3, MedianRatio.median(new double[] {5, 1, 3}));
    assertEquals(2.5, MedianRatio.median(new double[] {4, 1, 3, 2}));
  }

  @Test
  void constantSamplesGiveAnIntervalOfTheirRatioAlone() {
    MedianRatio r = MedianRatio.of(new double[] {9, 9, 9, 9, 9}, new double[] {10, 10, 10, 10, 10});
    assertEquals(new MedianRatio(0.9, 0.9, 0.9), r);
    assertTrue(r.within(0.90), "at the target counts as met");
    assertFalse(r.within(0.89));
  }

  /**
   * Ours {1, 2} over theirs {1}: a resample's median is 1, 1.5 or 2 with probabilities 1/4, 1/2,
   * 1/4, so the 5% and 95% quantiles are 1 and 2; the ratio of the samples' medians is 1.5.
   */
  @Test
  void twoValuesOverOneGiveTheBootstrapsExactQuantiles() {
    MedianRatio r = MedianRatio.of(new double[] {1, 2}, new double[] {1});
    assertEquals(new MedianRatio(1.5, 1, 2), r);
  }

  /**
   * Ours {0.5, 0.8, 1.2} over theirs {1, 1, 1}: the median is 0.8, under a target of 0.9, but a
   * resample's median is 1.2 with probability 7/27 (two or three draws of 1.2) and 0.5 as often, so
   * the interval is [0.5, 1.2] and the target is not met.
   */
  @Test
  void aMedianUnderTheTargetWithAnIntervalOverItDoesNotMeetIt() {
    MedianRatio r = MedianRatio.of(new double[] {0.5, 0.8, 1.2}, new double[] {1, 1, 1});
    assertEquals(0.8, r.ratio(), 1e-12);
    assertEquals(0.5, r.low());
    assertEquals(1.2, r.high());
    assertFalse(r.within(0.9));
  }

  @Test
  void theIntervalIsSeededAndWidensWithTheSpread() {
    double[] ours = {80, 84, 86, 90, 95, 83, 88, 79, 91, 85};
    double[] theirs = {100, 98, 103, 101, 97, 99, 102, 100, 104, 96};
    MedianRatio once = MedianRatio.of(ours, theirs);
    assertEquals(once, MedianRatio.of(ours, theirs), "the same seed, the same interval");
    assertNotEquals(once, MedianRatio.of(ours, theirs, 2000, 0.9, 23), "another seed");
    assertTrue(once.low() < once.ratio() && once.ratio() < once.high(), once.toString());
    assertTrue(once.within(0.90), once.toString());

    double[] spread = {60, 84, 86, 120, 95, 70, 88, 130, 91, 85};
    MedianRatio wide = MedianRatio.of(spread, theirs);
    assertEquals(once.ratio(), wide.ratio(), 0.02, "about the same median");
    assertTrue(wide.high() - wide.low() > 1.5 * (once.high() - once.low()), wide + " vs " + once);
    assertFalse(wide.within(0.90), wide.toString());
  }

  @Test
  void emptySamplesAreRefused() {
    assertThrows(
        IllegalArgumentException.class, () -> MedianRatio.of(new double[0], new double[] {1}));
  }
}
