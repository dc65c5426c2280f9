package oclc.ir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;

class DimTest {
  private final Dim batch = Dim.symbol("batch_size");
  private final Dim seq = Dim.symbol("sequence_length");
  private final Dim past = Dim.symbol("past_sequence_length");

  @Test
  void additionIsCommutativeAndAssociativeInCanonicalForm() {
    assertEquals(past.plus(seq), seq.plus(past));
    assertEquals(past.plus(seq).plus(batch), batch.plus(seq.plus(past)));
    assertEquals(past.plus(seq).hashCode(), seq.plus(past).hashCode());
    assertEquals("past_sequence_length + sequence_length", seq.plus(past).toString());
  }

  @Test
  void subtractionCancelsTerms() {
    Dim keyLength = past.plus(seq);
    assertEquals(past, keyLength.minus(seq));
    assertEquals(Dim.of(0), seq.minus(seq));
    assertEquals("0", seq.minus(seq).toString());
  }

  @Test
  void multiplicationDistributesAndCollectsLikeTerms() {
    Dim product = batch.times(seq.plus(1));
    assertEquals(batch.times(seq).plus(batch), product);
    assertEquals(seq.times(batch), batch.times(seq));
    assertEquals(seq.times(2), seq.plus(seq));
    assertEquals("2 * sequence_length - 1", seq.times(2).minus(1).toString());
    assertEquals("batch_size * sequence_length + batch_size", product.toString());
  }

  @Test
  void constantsFoldEagerly() {
    assertEquals(Dim.of(7), Dim.of(3).plus(Dim.of(4)));
    assertEquals(Dim.of(-2), Dim.of(-7).floorDiv(Dim.of(4)));
    assertEquals(Dim.of(1), Dim.of(-7).mod(Dim.of(4)));
    assertEquals(Dim.of(3), Dim.of(3).min(Dim.of(5)));
    assertEquals(Optional.of(12L), Dim.of(12).constantValue());
    assertThrows(ArithmeticException.class, () -> Dim.of(1).floorDiv(Dim.of(0)));
  }

  @Test
  void floorDivisionIsExactWhenEveryCoefficientDivides() {
    Dim heads = seq.times(64);
    assertEquals(seq.times(16), heads.floorDiv(4));
    assertEquals(seq, seq.floorDiv(1));
    assertEquals(Dim.of(1), seq.floorDiv(seq));
    assertEquals("floordiv(sequence_length, 4)", seq.floorDiv(4).toString());
    assertEquals(Dim.of(0), seq.times(8).mod(Dim.of(4)));
    assertEquals("mod(sequence_length, 4)", seq.mod(Dim.of(4)).toString());
  }

  @Test
  void minAndMaxUseThatSymbolsAreNonNegative() {
    assertEquals(seq, seq.min(seq.plus(past)));
    assertEquals(seq.plus(past), seq.max(seq.plus(past)));
    assertEquals(seq, seq.max(Dim.of(0)));
    assertEquals(Dim.of(0), seq.min(Dim.of(0)));
    assertEquals(seq.min(Dim.of(128)), Dim.of(128).min(seq));
    assertEquals("min(128, sequence_length)", seq.min(Dim.of(128)).toString());
  }

  @Test
  void equalExpressionsBuiltDifferentlyCompareEqual() {
    Dim a = seq.plus(past).min(Dim.of(128)).floorDiv(2);
    Dim b = Dim.of(128).min(past.plus(seq)).floorDiv(Dim.of(2));
    assertEquals(a, b);
    assertNotEquals(a, seq.floorDiv(2));
  }

  @Test
  void comparisonsAreDecidedOnlyWhenTheyHoldForAllSymbolValues() {
    assertEquals(Optional.of(1), seq.plus(1).compareKnown(seq));
    assertEquals(Optional.of(-1), Dim.of(-1).compareKnown(seq));
    assertEquals(Optional.of(0), seq.plus(past).compareKnown(past.plus(seq)));
    assertEquals(Optional.empty(), seq.compareKnown(past));
    assertEquals(Optional.empty(), seq.compareKnown(Dim.of(128)));
    assertTrue(seq.isNonNegative());
    assertFalse(seq.minus(1).isNonNegative());
    assertTrue(seq.floorDiv(4).isNonNegative());
  }

  @Test
  void evaluationMatchesIntegerArithmeticOnRandomValues() {
    Random random = new Random(42);
    Dim expression =
        seq.plus(past)
            .times(batch)
            .minus(seq.floorDiv(3))
            .plus(past.mod(Dim.of(5)))
            .plus(seq.min(past))
            .minus(batch.max(Dim.of(2)));
    for (int trial = 0; trial < 200; trial++) {
      long s = random.nextInt(300);
      long p = random.nextInt(300);
      long b = 1 + random.nextInt(8);
      Map<String, Long> values =
          Map.of("sequence_length", s, "past_sequence_length", p, "batch_size", b);
      long expected =
          (s + p) * b - Math.floorDiv(s, 3) + Math.floorMod(p, 5) + Math.min(s, p) - Math.max(b, 2);
      assertEquals(expected, expression.evaluate(values::get));
    }
  }

  @Test
  void substitutionResimplifies() {
    Dim keyLength = past.plus(seq);
    assertEquals(seq, keyLength.substitute(Map.of("past_sequence_length", Dim.of(0))));
    assertEquals(
        Dim.of(9),
        keyLength
            .min(Dim.of(128))
            .substitute(Map.of("past_sequence_length", Dim.of(4), "sequence_length", Dim.of(5))));
  }

  @Test
  void textReadsBackToTheSameDim() {
    assertEquals(past.plus(seq), Dim.parse("past_sequence_length + sequence_length"));
    assertEquals(seq.times(2).minus(1), Dim.parse("2 * sequence_length - 1"));
    assertEquals(Dim.of(-7), Dim.parse("-7"));
    Random random = new Random(7);
    for (int trial = 0; trial < 300; trial++) {
      Dim d = randomDim(random, 3);
      assertEquals(d, Dim.parse(d.toString()), d.toString());
    }
  }

  @Test
  void malformedTextIsAClearError() {
    OclcException e = assertThrows(OclcException.class, () -> Dim.parse("sequence_length +"));
    assertTrue(
        e.getMessage().contains("cannot read dimension \"sequence_length +\""), e.getMessage());
    assertThrows(OclcException.class, () -> Dim.parse("frobnicate(a, b)"));
    assertThrows(OclcException.class, () -> Dim.parse("a b"));
  }

  private Dim randomDim(Random random, int depth) {
    Dim[] leaves = {
      batch, seq, past, Dim.of(random.nextInt(9) - 4), Dim.symbol("/h.0/attn/TopK.k")
    };
    Dim d = leaves[random.nextInt(leaves.length)];
    if (depth == 0) {
      return d;
    }
    Dim other = randomDim(random, depth - 1);
    return switch (random.nextInt(7)) {
      case 0 -> d.plus(other);
      case 1 -> d.minus(other);
      case 2 -> d.times(other);
      case 3 ->
          other.isConstant() && other.constant() > 0 ? d.floorDiv(other) : d.floorDiv(Dim.of(3));
      case 4 -> d.mod(Dim.of(5));
      case 5 -> d.min(other);
      default -> d.max(other);
    };
  }

  @Test
  void symbolsAreCollectedAtAnyDepth() {
    assertEquals(
        java.util.Set.of("batch_size", "past_sequence_length", "sequence_length"),
        batch.plus(seq.min(past.floorDiv(2))).symbols());
    assertEquals(Optional.of("batch_size"), batch.asSymbol());
    assertEquals(Optional.empty(), batch.times(2).asSymbol());
  }
}
