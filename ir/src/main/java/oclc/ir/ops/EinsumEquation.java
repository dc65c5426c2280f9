package oclc.ir.ops;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * An Einsum equation with its ellipses spelled out: one label per dim of every input term and of
 * the output (explicit, or the implicit one: the ellipsis, then the labels used once, sorted).
 * Ellipsis dims get labels that cannot clash with letters: '0', '1', …
 */
public record EinsumEquation(List<String> inputs, String output) {
  public EinsumEquation {
    inputs = List.copyOf(inputs);
  }

  public static EinsumEquation parse(String text, List<Integer> ranks) {
    String equation = text.replace(" ", "");
    String[] sides = equation.split("->", -1);
    String[] terms = sides[0].split(",", -1);
    int ellipsisRank = 0;
    for (int i = 0; i < terms.length; i++) {
      if (terms[i].contains("...")) {
        ellipsisRank = Math.max(ellipsisRank, ranks.get(i) - (terms[i].length() - 3));
      }
    }
    String ellipsis = ellipsisLabels(ellipsisRank);
    List<String> inputs = new ArrayList<>();
    for (int i = 0; i < terms.length; i++) {
      String t = terms[i];
      if (t.contains("...")) {
        int own = ranks.get(i) - (t.length() - 3);
        t = t.replace("...", ellipsis.substring(ellipsisRank - own));
      }
      inputs.add(t);
    }
    String output;
    if (sides.length > 1) {
      output = sides[1].replace("...", ellipsis);
    } else {
      Map<Character, Integer> counts = new LinkedHashMap<>();
      for (String t : inputs) {
        for (char c : t.toCharArray()) {
          counts.merge(c, 1, Integer::sum);
        }
      }
      StringBuilder implicit = new StringBuilder(ellipsis);
      TreeSet<Character> once = new TreeSet<>();
      counts.forEach(
          (c, n) -> {
            if (n == 1 && Character.isLetter(c)) {
              once.add(c);
            }
          });
      once.forEach(implicit::append);
      output = implicit.toString();
    }
    return new EinsumEquation(inputs, output);
  }

  private static String ellipsisLabels(int rank) {
    StringBuilder s = new StringBuilder();
    for (int i = 0; i < rank; i++) {
      s.append((char) ('0' + i));
    }
    return s.toString();
  }
}
