package oclc.compiler.generate.tokenizer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import oclc.ir.OclcException;
import org.junit.jupiter.api.Test;

/**
 * GPT-2's byte-level BPE on a vocabulary built here: byte spelling, merge order, words, round
 * trips.
 */
public class ByteLevelBpeTest {
  /** The 256 byte pieces as GPT-2 spells them, then the merged pieces, in order. */
  public static Map<String, Long> vocabulary(List<String> merges) {
    Map<String, Long> vocabulary = new LinkedHashMap<>();
    int next = 0;
    for (int b = 0; b < 256; b++) {
      boolean printable =
          (b >= '!' && b <= '~') || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE && b <= 0xFF);
      vocabulary.put(String.valueOf(printable ? (char) b : (char) (256 + next++)), (long) b);
    }
    for (String merge : merges) {
      vocabulary.put(merge.replace(" ", ""), (long) vocabulary.size());
    }
    return vocabulary;
  }

  public static final List<String> MERGES =
      List.of("l l", "h e", "he ll", "hell o", "Ġ w", "o r", "Ġw or", "Ġwor l", "Ġworl d");

  private final Tokenizer tokenizer =
      Tokenizer.gpt2(
          vocabulary(MERGES),
          MERGES.stream()
              .map(m -> new BytePairModel.Merge(m.split(" ")[0], m.split(" ")[1]))
              .toList());

  @Test
  void wordsMergeInRankOrderAndTheSpaceJoinsTheFollowingWord() {
    // "hello" → h e l l o → "ll" (rank 0), "he" (1), "hell" (2), "hello" (3); " world" → "Ġworld"
    assertEquals(List.of(259L, 264L), tokenizer.encode("hello world"));
  }

  @Test
  void anyTextRoundTripsThroughItsBytes() {
    for (String text :
        List.of("hello world", "héllo wörld ✓ 12,345!", "  two  spaces\nand a newline", "")) {
      assertEquals(text, tokenizer.decode(tokenizer.encode(text)), text);
    }
  }

  @Test
  void unmergedBytesStayOneTokenEach() {
    assertEquals(List.of((long) 'x', (long) 'y', (long) 'z'), tokenizer.encode("xyz"));
    assertEquals(List.of(0xC3L, 0xA9L), tokenizer.encode("é"));
  }

  @Test
  void anUnknownIdIsAClearError() {
    assertThrows(OclcException.class, () -> tokenizer.decode(List.of(99999L)));
  }
}
