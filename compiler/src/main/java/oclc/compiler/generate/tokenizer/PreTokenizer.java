package oclc.compiler.generate.tokenizer;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Cuts plain text into the words the BPE merges within, as Hugging Face's pre-tokenizers do: a
 * sequence of steps, each applied to every piece the steps before it left.
 */
public record PreTokenizer(List<Step> steps) {
  public PreTokenizer {
    steps = List.copyOf(steps);
  }

  /** One step of the sequence. */
  public sealed interface Step {}

  /**
   * Splits on a pattern's matches, which the behaviour keeps apart ({@code Isolated}), drops
   * ({@code Removed}), joins to the piece before or after, or joins when they follow each other
   * ({@code Contiguous}); {@code invert}: the matches are the pieces and the rest the delimiters.
   */
  public record Split(Pattern pattern, Behavior behavior, boolean invert) implements Step {}

  /** ByteLevel's {@code add_prefix_space}: a piece not starting with a space gets one. */
  public record PrefixSpace() implements Step {}

  /** Hugging Face's SplitDelimiterBehavior. */
  public enum Behavior {
    REMOVED,
    ISOLATED,
    MERGED_WITH_PREVIOUS,
    MERGED_WITH_NEXT,
    CONTIGUOUS
  }

  /** GPT-2's: its word pattern, matches kept apart. */
  public static PreTokenizer gpt2() {
    return new PreTokenizer(List.of(new Split(ByteLevel.GPT2_WORDS, Behavior.ISOLATED, false)));
  }

  public List<String> words(String text) {
    List<String> pieces = List.of(text);
    for (Step step : steps) {
      List<String> next = new ArrayList<>();
      for (String piece : pieces) {
        switch (step) {
          case PrefixSpace p -> next.add(piece.startsWith(" ") ? piece : " " + piece);
          case Split split -> next.addAll(split(piece, split));
        }
      }
      pieces = next;
    }
    return pieces;
  }

  private record Span(int start, int end, boolean delimiter) {}

  private static List<String> split(String text, Split split) {
    List<Span> spans = new ArrayList<>();
    Matcher m = split.pattern().matcher(text);
    int previous = 0;
    while (m.find()) {
      if (m.start() == m.end()) {
        continue;
      }
      if (previous < m.start()) {
        spans.add(new Span(previous, m.start(), split.invert()));
      }
      spans.add(new Span(m.start(), m.end(), !split.invert()));
      previous = m.end();
    }
    if (previous < text.length()) {
      spans.add(new Span(previous, text.length(), split.invert()));
    }
    List<String> pieces = new ArrayList<>();
    for (Span span : apply(spans, split.behavior())) {
      if (span.start() < span.end()) {
        pieces.add(text.substring(span.start(), span.end()));
      }
    }
    return pieces;
  }

  /** The behaviours, span for span as Hugging Face's NormalizedString.split folds them. */
  private static List<Span> apply(List<Span> spans, Behavior behavior) {
    List<Span> out = new ArrayList<>();
    boolean previousDelimiter = false;
    switch (behavior) {
      case ISOLATED -> out.addAll(spans);
      case REMOVED -> spans.stream().filter(s -> !s.delimiter()).forEach(out::add);
      case MERGED_WITH_PREVIOUS, CONTIGUOUS -> {
        for (Span s : spans) {
          boolean join =
              behavior == Behavior.CONTIGUOUS
                  ? s.delimiter() == previousDelimiter
                  : s.delimiter() && !previousDelimiter;
          if (join && !out.isEmpty()) {
            Span last = out.removeLast();
            out.add(new Span(last.start(), s.end(), false));
          } else {
            out.add(s);
          }
          previousDelimiter = s.delimiter();
        }
      }
      case MERGED_WITH_NEXT -> {
        for (Span s : spans.reversed()) {
          if (s.delimiter() && !previousDelimiter && !out.isEmpty()) {
            Span last = out.removeLast();
            out.add(new Span(s.start(), last.end(), false));
          } else {
            out.add(s);
          }
          previousDelimiter = s.delimiter();
        }
        java.util.Collections.reverse(out);
      }
    }
    return out;
  }
}
