package oclc.bench.machine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The bench's floors take the better of the ceilings measured before and after its runs, and only
 * where a ceiling's two methods agree; the bandwidth buffers are sized from the last-level cache.
 */
class MachineCeilingsTest {
  @Test
  void theBestOfTwoMeasurementsTakesEachCeilingsHigherMeasurementWhole() {
    MachineCeilings before = new MachineCeilings(2, 19.5, 21.0, 325, 300);
    MachineCeilings after = new MachineCeilings(2, 27.0, 26.0, 263, 250);
    assertEquals(new MachineCeilings(2, 27.0, 26.0, 325, 300), before.best(after));
    assertEquals(before.best(after), after.best(before));
  }

  /**
   * Before: the sum 22.3 and the triad 16.0 GB/s (1.39 apart); after: 16.2 and 23.3 (1.44 apart).
   * The best of each method apart, 22.3 and 23.3, would agree; neither measurement did.
   */
  @Test
  void twoDisagreeingMeasurementsDoNotCombineIntoAnAgreeingOne() {
    MachineCeilings before = new MachineCeilings(2, 22.3, 16.0, 230, 228);
    MachineCeilings after = new MachineCeilings(2, 16.2, 23.3, 74, 94);
    MachineCeilings best = before.best(after);
    assertEquals(new MachineCeilings(2, 22.3, 16.0, 230, 228), best);
    assertFalse(best.bandwidthAgrees());
    assertTrue(Double.isNaN(best.readFloorGbps()));
    assertEquals(230, best.fmaFloorGflops(), "the FMA measurement that agrees");
    MachineCeilings agreeingLower = new MachineCeilings(2, 20.0, 19.0, 80, 79);
    assertEquals(
        new MachineCeilings(2, 20.0, 19.0, 230, 228),
        before.best(agreeingLower),
        "an agreeing measurement beats a higher one that does not");
  }

  @Test
  void ceilingsOfDifferentThreadCountsDoNotCombine() {
    assertThrows(
        IllegalArgumentException.class,
        () ->
            new MachineCeilings(2, 20, 20, 300, 300)
                .best(new MachineCeilings(1, 14, 14, 160, 160)));
  }

  @Test
  void aCeilingWhoseMethodsDisagreeByMoreThanTwentyPercentGivesNoFloor() {
    MachineCeilings wrongRead = new MachineCeilings(2, 190.9, 36.0, 230, 220);
    assertFalse(wrongRead.bandwidthAgrees());
    assertTrue(Double.isNaN(wrongRead.readFloorGbps()));
    assertEquals(230, wrongRead.fmaFloorGflops(), "the FMA methods agree: that floor stays");
    assertTrue(wrongRead.describe().contains("DISAGREE, no bandwidth floor"), wrongRead.describe());

    MachineCeilings atTheEdge = new MachineCeilings(2, 36.0, 30.0, 240, 200);
    assertTrue(atTheEdge.bandwidthAgrees(), "36 / 30 is 1.2: within");
    assertEquals(36.0, atTheEdge.readFloorGbps());
    assertTrue(atTheEdge.fmaAgrees(), "240 / 200 is 1.2: within");

    MachineCeilings justOver = new MachineCeilings(2, 36.0, 29.9, 241, 200);
    assertFalse(justOver.bandwidthAgrees());
    assertFalse(justOver.fmaAgrees());
    assertTrue(Double.isNaN(justOver.fmaFloorGflops()));
  }

  @Test
  void theBandwidthBuffersTakeAtLeastOneGibOrEightTimesTheLastLevelCache(@TempDir Path cache)
      throws IOException {
    writeCache(cache, "index0", "Data", "32K");
    writeCache(cache, "index1", "Instruction", "32K");
    writeCache(cache, "index2", "Unified", "1024K");
    writeCache(cache, "index3", "Unified", "256M");
    assertEquals(256L << 20, MachineCeilings.lastLevelCacheBytes(cache));
    assertEquals(2L << 30, MachineCeilings.streamBytes(256L << 20));
    assertEquals(1L << 30, MachineCeilings.streamBytes(32L << 20));
    assertEquals(1L << 30, MachineCeilings.streamBytes(0), "an unknown cache: 1 GiB");
    assertEquals(0, MachineCeilings.lastLevelCacheBytes(cache.resolve("absent")));
    assertEquals(3L << 20, MachineCeilings.cacheSize("3M"));
    assertEquals(4096, MachineCeilings.cacheSize("4096"));
  }

  private static void writeCache(Path cache, String index, String type, String size)
      throws IOException {
    Path folder = Files.createDirectories(cache.resolve(index));
    Files.writeString(folder.resolve("type"), type + "\n");
    Files.writeString(folder.resolve("size"), size + "\n");
  }
}
