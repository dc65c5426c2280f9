package oclc.compiler.generate.tokenizer;

import java.util.ArrayList;
import java.util.List;

/**
 * What a tokenizer's post-processor puts around the ids of a single text: {@code before} (a BOS, a
 * CLS) and {@code after} (an EOS, a SEP).
 */
public record PostProcessor(List<Long> before, List<Long> after) {
  /** No ids around the text (GPT-2's). */
  public static final PostProcessor NONE = new PostProcessor(List.of(), List.of());

  public PostProcessor {
    before = List.copyOf(before);
    after = List.copyOf(after);
  }

  /** This one, then {@code outer} around what it gives (as a Sequence of post-processors runs). */
  PostProcessor then(PostProcessor outer) {
    List<Long> first = new ArrayList<>(outer.before);
    first.addAll(before);
    List<Long> last = new ArrayList<>(after);
    last.addAll(outer.after);
    return new PostProcessor(first, last);
  }
}
