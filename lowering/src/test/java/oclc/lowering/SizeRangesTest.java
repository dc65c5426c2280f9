package oclc.lowering;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import oclc.ir.DType;
import oclc.ir.Dim;
import oclc.ir.Graph;
import oclc.ir.OclcException;
import oclc.ir.Shape;
import oclc.ir.ShapeAssertion;
import oclc.ir.TensorType;
import oclc.ir.ValueInfo;
import oclc.lowering.SizeRanges.Interval;
import org.junit.jupiter.api.Test;

class SizeRangesTest {
  private static final Dim BATCH = Dim.symbol("batch_size");
  private static final Dim SEQ = Dim.symbol("sequence_length");
  private static final Dim PAST = Dim.symbol("past_sequence_length");

  /**
   * GPT-2's decode signature: ids [batch, seq], a past [batch, 4, past, 16], and the 128-position
   * bound.
   */
  private static Graph gpt2() {
    List<ValueInfo> inputs =
        List.of(
            new ValueInfo("input_ids", new TensorType(DType.INT64, Shape.of(BATCH, SEQ))),
            new ValueInfo(
                "past",
                new TensorType(DType.FLOAT32, Shape.of(BATCH, Dim.of(4), PAST, Dim.of(16)))));
    List<ShapeAssertion> bound =
        List.of(new ShapeAssertion(PAST.plus(SEQ), Dim.of(128), "the causal mask"));
    return new Graph("gpt2", inputs, List.of(), List.of(), Map.of(), Map.of(), bound, Map.of());
  }

  @Test
  void theModelsAssumptionBoundsPromptAndCacheAndTheRestMustBeGiven() {
    OclcException e =
        assertThrows(
            OclcException.class, () -> SizeRanges.forGraph(gpt2(), Map.of(), Map.of(), true));
    assertTrue(e.getMessage().startsWith("the model does not bound batch_size"), e.getMessage());
    assertEquals(
        java.util.Optional.of(oclc.ir.Remedy.BOUND_DIMS),
        e.remedy(),
        "the front end says how to bound it");
    assertEquals(List.of("batch_size"), e.subjects());
    SizeRanges ranges =
        SizeRanges.forGraph(
            gpt2(),
            Map.of("batch_size", new Interval(1, 4), "sequence_length", new Interval(1, 128)),
            Map.of(),
            true);
    assertEquals(
        new Interval(0, 127),
        ranges.symbol("past_sequence_length"),
        "128 minus the shortest prompt");
    assertEquals(new Interval(1, 4), ranges.symbol("batch_size"));
  }

  @Test
  void aDimsRangeComesFromTheCornersAndTheAssumptions() {
    SizeRanges ranges =
        SizeRanges.forGraph(
            gpt2(),
            Map.of(
                "batch_size",
                new Interval(1, 4),
                "sequence_length",
                new Interval(1, 128),
                "past_sequence_length",
                new Interval(0, 127)),
            Map.of(),
            true);
    assertEquals(new Interval(1, 512), ranges.range(BATCH.times(SEQ)));
    assertEquals(
        new Interval(1, 128),
        ranges.range(PAST.plus(SEQ)),
        "the key length, clipped by the assumption");
    assertEquals(new Interval(1, 32), ranges.range(SEQ.plus(3).floorDiv(Dim.of(4))));
  }

  @Test
  void familyCutsAreClippedToTheRangeAndEmptyClassesDropped() {
    SizeRanges ranges =
        SizeRanges.forGraph(
            gpt2(),
            Map.of(
                "batch_size",
                new Interval(1, 1),
                "sequence_length",
                new Interval(1, 8),
                "past_sequence_length",
                new Interval(0, 0)),
            Map.of(),
            true);
    List<Interval> cuts =
        List.of(new Interval(1, 1), new Interval(2, 16), new Interval(17, SizeRanges.OPEN));
    assertEquals(
        List.of(new Interval(1, 1), new Interval(2, 8)), ranges.classes(BATCH.times(SEQ), cuts));
  }

  @Test
  void bucketsOfTheOneSymbolADimDependsOnReplaceTheFamilysCut() {
    SizeRanges ranges =
        SizeRanges.forGraph(
            gpt2(),
            Map.of(
                "batch_size",
                new Interval(1, 1),
                "sequence_length",
                new Interval(1, 128),
                "past_sequence_length",
                new Interval(0, 0)),
            Map.of(
                "sequence_length",
                List.of(
                    new Interval(1, 1), new Interval(2, 32), new Interval(33, SizeRanges.OPEN))),
            true);
    List<Interval> family =
        List.of(new Interval(1, 1), new Interval(2, 16), new Interval(17, SizeRanges.OPEN));
    // batch is fixed at 1, so rows = batch * seq depends on the sequence length alone
    assertEquals(
        List.of(new Interval(1, 1), new Interval(2, 32), new Interval(33, 128)),
        ranges.classes(BATCH.times(SEQ), family));
    assertEquals(
        List.of(new Interval(4, 4), new Interval(8, 128), new Interval(132, 512)),
        ranges.classes(SEQ.times(4), family),
        "cuts mapped through the dim");
  }

  @Test
  void rangesParseAsTheCommandLineWritesThem() {
    assertEquals(new Interval(1, 128), Interval.parse("1..128"));
    assertEquals(new Interval(17, SizeRanges.OPEN), Interval.parse("17.."));
    assertEquals(new Interval(3, 3), Interval.parse("3"));
    assertThrows(OclcException.class, () -> Interval.parse("1-128"));
  }
}
