package oclc.compiler.generate;

import java.util.List;

/**
 * Stop strings: the text generated so far ends at the first place one of them starts, and the
 * generation with it. The strings are matched in the decoded text, so a stop string that spans
 * several tokens is found once its last token is decoded.
 */
public record StopStrings(List<String> strings) {
  public StopStrings {
    strings = List.copyOf(strings);
    if (strings.stream().anyMatch(String::isEmpty)) {
      throw new IllegalArgumentException("a stop string is empty");
    }
  }

  public static StopStrings none() {
    return new StopStrings(List.of());
  }

  /** Where {@code text} is cut: the first index at which a stop string begins, or -1. */
  public int cut(String text) {
    int first = -1;
    for (String stop : strings) {
      int at = text.indexOf(stop);
      if (at >= 0 && (first < 0 || at < first)) {
        first = at;
      }
    }
    return first;
  }

  /**
   * How many characters at the end of {@code text} could begin a stop string the next tokens
   * complete: a stream holds them back until it knows.
   */
  public int pendingSuffix(String text) {
    int longest = 0;
    for (String stop : strings) {
      for (int n = Math.min(stop.length() - 1, text.length()); n > longest; n--) {
        if (text.endsWith(stop.substring(0, n))) {
          longest = n;
          break;
        }
      }
    }
    return longest;
  }
}
