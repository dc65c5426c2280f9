package oclc.compiler.generate.tokenizer;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * The tokens matched in the text before the BPE sees it ({@code <|endoftext|>}, CodeGen's runs of
 * spaces), as Hugging Face's added vocabulary matches them: leftmost, then longest; those marked
 * not normalized on the raw text first, the others on the normalized rest; {@code single_word},
 * {@code lstrip} and {@code rstrip} as its flags say.
 */
public final class AddedTokens {
  /** One added token, with the flags of tokenizer.json's added_tokens entries. */
  public record AddedToken(
      long id,
      String content,
      boolean special,
      boolean singleWord,
      boolean leftStrip,
      boolean rightStrip,
      boolean normalized) {}

  /** A stretch of the text: plain text for the BPE, or one added token. */
  public sealed interface Segment {}

  public record Text(String text) implements Segment {}

  public record Token(long id) implements Segment {}

  private final List<AddedToken> tokens;
  private final Map<Long, AddedToken> byId = new HashMap<>();
  private final Map<Character, List<Candidate>> raw;
  private final Map<Character, List<Candidate>> normalizedForm;
  private final UnaryOperator<String> normalizer;

  private record Candidate(String content, AddedToken token) {}

  public AddedTokens(List<AddedToken> tokens, UnaryOperator<String> normalizer) {
    this.tokens = List.copyOf(tokens);
    this.normalizer = normalizer;
    tokens.forEach(t -> byId.put(t.id(), t));
    this.raw =
        index(tokens.stream().filter(t -> !t.normalized()).map(t -> new Candidate(t.content(), t)));
    this.normalizedForm =
        index(
            tokens.stream()
                .filter(AddedToken::normalized)
                .map(t -> new Candidate(normalizer.apply(t.content()), t)));
  }

  public static AddedTokens none() {
    return new AddedTokens(List.of(), UnaryOperator.identity());
  }

  private static Map<Character, List<Candidate>> index(java.util.stream.Stream<Candidate> all) {
    Map<Character, List<Candidate>> byFirst = new HashMap<>();
    all.filter(c -> !c.content().isEmpty())
        .forEach(
            c -> byFirst.computeIfAbsent(c.content().charAt(0), k -> new ArrayList<>()).add(c));
    byFirst
        .values()
        .forEach(
            list ->
                list.sort(
                    Comparator.comparingInt((Candidate c) -> c.content().length()).reversed()));
    return byFirst;
  }

  public List<AddedToken> tokens() {
    return tokens;
  }

  public java.util.Optional<AddedToken> byId(long id) {
    return java.util.Optional.ofNullable(byId.get(id));
  }

  /** The text as added tokens and normalized plain text between them. */
  public List<Segment> split(String text) {
    List<Segment> segments = new ArrayList<>();
    for (Segment s : split(text, raw)) {
      if (s instanceof Text(String plain)) {
        segments.addAll(split(normalizer.apply(plain), normalizedForm));
      } else {
        segments.add(s);
      }
    }
    return segments;
  }

  private static List<Segment> split(String text, Map<Character, List<Candidate>> candidates) {
    List<Segment> segments = new ArrayList<>();
    int textStart = 0;
    int position = 0;
    while (position < text.length()) {
      Candidate match = longestAt(text, position, candidates);
      if (match == null) {
        position++;
        continue;
      }
      AddedToken token = match.token();
      int start = position;
      int stop = position + match.content().length();
      if (token.singleWord()
          && (endsWithWordCharacter(text, start) || startsWithWordCharacter(text, stop))) {
        position = stop;
        continue;
      }
      if (token.leftStrip()) {
        int left = start;
        while (left > textStart && Character.isWhitespace(text.charAt(left - 1))) {
          left--;
        }
        start = left;
      }
      if (token.rightStrip()) {
        while (stop < text.length() && Character.isWhitespace(text.charAt(stop))) {
          stop++;
        }
      }
      if (textStart < start) {
        segments.add(new Text(text.substring(textStart, start)));
      }
      segments.add(new Token(token.id()));
      textStart = stop;
      position = stop;
    }
    if (textStart < text.length()) {
      segments.add(new Text(text.substring(textStart)));
    }
    return segments;
  }

  private static Candidate longestAt(
      String text, int position, Map<Character, List<Candidate>> candidates) {
    List<Candidate> list = candidates.get(text.charAt(position));
    if (list != null) {
      for (Candidate c : list) {
        if (text.startsWith(c.content(), position)) {
          return c;
        }
      }
    }
    return null;
  }

  private static boolean endsWithWordCharacter(String text, int end) {
    return end > 0 && Character.isLetterOrDigit(text.codePointBefore(end));
  }

  private static boolean startsWithWordCharacter(String text, int start) {
    return start < text.length() && Character.isLetterOrDigit(text.codePointAt(start));
  }
}
