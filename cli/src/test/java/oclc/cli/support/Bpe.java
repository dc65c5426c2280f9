package oclc.cli.support;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A GPT-2 BPE vocabulary built from merges, for the tokenizer folders the tests write (as the
 * compiler's tokenizer test builds one).
 */
public final class Bpe {
  private Bpe() {}

  public static final List<String> MERGES =
      List.of("l l", "h e", "he ll", "hell o", "Ġ w", "o r", "Ġw or", "Ġwor l", "Ġworl d");

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
}
