package oclc.bench.machine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** The bench's floors take the better of the ceilings measured before and after its runs. */
class MachineCeilingsTest {
  @Test
  void theBestOfTwoMeasurementsTakesEachCeilingsHigherValue() {
    MachineCeilings before = new MachineCeilings(2, 19.5, 325);
    MachineCeilings after = new MachineCeilings(2, 27.0, 263);
    assertEquals(new MachineCeilings(2, 27.0, 325), before.best(after));
    assertEquals(before.best(after), after.best(before));
  }

  @Test
  void ceilingsOfDifferentThreadCountsDoNotCombine() {
    assertThrows(
        IllegalArgumentException.class,
        () -> new MachineCeilings(2, 20, 300).best(new MachineCeilings(1, 14, 160)));
  }
}
