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
  void theModelsAssumptionBoundsPromptAndCacheAndTheBatchDefaultsToOneWithANotice() {
    SizeRanges bare = SizeRanges.forGraph(gpt2(), Map.of(), Map.of(), true);
    assertEquals(new Interval(1, 1), bare.symbol("batch_size"), "the leading dim of input_ids");
    assertEquals(SizeRanges.Origin.DEFAULT, bare.provenance().get("batch_size").origin());
    assertEquals(new Interval(0, 128), bare.symbol("sequence_length"));
    assertEquals(SizeRanges.Origin.MODEL, bare.provenance().get("sequence_length").origin());
    assertTrue(
        bare.provenance().get("sequence_length").reason().contains("the causal mask"),
        bare.provenance().toString());
    assertEquals(
        List.of(
            "batch_size=1..1 by default: a batch (the leading dim of input_ids); widen it with"
                + " --dim batch_size=1..N"),
        bare.notices());
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
    assertEquals(SizeRanges.Origin.DIM, ranges.provenance().get("batch_size").origin());
    assertEquals(List.of(), ranges.notices());
    SizeRanges open = SizeRanges.forGraph(gpt2(), Map.of(), Map.of(), false);
    assertEquals(new Interval(0, SizeRanges.OPEN), open.symbol("batch_size"));
    assertEquals(SizeRanges.Origin.OPEN, open.provenance().get("batch_size").origin());
  }

  /**
   * A Llama decode signature: ids and position ids [batch, seq], a mask [batch, total], a past
   * [batch, 2, past, 16], and the unification shape inference made of total with past + seq.
   */
  private static Graph llama(String totalName) {
    Dim total = Dim.symbol(totalName);
    List<ValueInfo> inputs =
        List.of(
            new ValueInfo("input_ids", new TensorType(DType.INT64, Shape.of(BATCH, SEQ))),
            new ValueInfo("attention_mask", new TensorType(DType.INT64, Shape.of(BATCH, total))),
            new ValueInfo(
                "past_key_values.0.key",
                new TensorType(DType.FLOAT32, Shape.of(BATCH, Dim.of(2), PAST, Dim.of(16)))));
    List<ShapeAssertion> unified =
        List.of(ShapeAssertion.equal(total, PAST.plus(SEQ), "broadcast in Where 'mask'"));
    return new Graph("llama", inputs, List.of(), List.of(), Map.of(), Map.of(), unified, Map.of());
  }

  @Test
  void unboundedSymbolsTakeStatedDefaultsAndAUnifiedOneItsExpressionsRange() {
    SizeRanges ranges =
        SizeRanges.forGraph(llama("past_sequence_length + 1"), Map.of(), Map.of(), true);
    assertEquals(new Interval(1, 1), ranges.symbol("batch_size"));
    assertEquals(SizeRanges.DEFAULT_SEQUENCE, ranges.symbol("sequence_length"));
    assertEquals(
        SizeRanges.DEFAULT_PAST,
        ranges.symbol("past_sequence_length"),
        "only the past input has it: a cache length");
    assertEquals(
        new Interval(1, 4095),
        ranges.symbol("past_sequence_length + 1"),
        "the label is opaque: its range is past + seq's, never 'past + 1'");
    assertEquals(
        SizeRanges.Origin.UNIFIED, ranges.provenance().get("past_sequence_length + 1").origin());
    assertEquals(
        List.of("batch_size", "sequence_length", "past_sequence_length"),
        List.copyOf(ranges.freeSymbols().keySet()));
    assertEquals(3, ranges.notices().size(), ranges.notices().toString());
    assertEquals(
        Map.of(
            "batch_size", 1L,
            "sequence_length", 3L,
            "past_sequence_length", 5L,
            "past_sequence_length + 1", 8L),
        ranges.withUnified(
            Map.of("batch_size", 1L, "sequence_length", 3L, "past_sequence_length", 5L)));
    OclcException e =
        assertThrows(
            OclcException.class,
            () ->
                SizeRanges.forGraph(
                    llama("total_sequence_length"),
                    Map.of("total_sequence_length", new Interval(1, 64)),
                    Map.of(),
                    true));
    assertTrue(
        e.getMessage().contains("the model makes it past_sequence_length + sequence_length"),
        e.getMessage());
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
