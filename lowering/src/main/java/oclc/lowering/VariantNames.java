package oclc.lowering;

import java.util.ArrayList;
import java.util.List;
import oclc.artifact.Manifest.Condition;
import oclc.artifact.Manifest.Variant;

/**
 * A node's variants under names of their own: the runtime launches a variant by name, and two size
 * classes a schedule gives the same parameters (the same kernel) would otherwise share one. Such
 * neighbours are merged into one variant over both ranges; any other repeat gets its position.
 */
public final class VariantNames {
  private VariantNames() {}

  public static List<Variant> distinct(List<Variant> variants) {
    List<Variant> result = new ArrayList<>();
    for (Variant v : variants) {
      Variant last = result.isEmpty() ? null : result.getLast();
      int merged =
          last != null && last.name().equals(v.name()) && last.dispatches().equals(v.dispatches())
              ? adjacent(last.when(), v.when())
              : -1;
      if (merged >= 0) {
        List<Condition> when = new ArrayList<>(last.when());
        Condition a = last.when().get(merged);
        when.set(merged, new Condition(a.dim(), a.min(), v.when().get(merged).max()));
        result.set(result.size() - 1, new Variant(last.name(), when, last.dispatches()));
      } else if (result.stream().anyMatch(r -> r.name().equals(v.name()))) {
        result.add(new Variant(v.name() + "_" + result.size(), v.when(), v.dispatches()));
      } else {
        result.add(v);
      }
    }
    return result;
  }

  /**
   * The one condition in which two lists differ, when every other is the same and that one is on
   * the same dim with the second range starting where the first ends; else -1.
   */
  private static int adjacent(List<Condition> first, List<Condition> second) {
    if (first.size() != second.size()) {
      return -1;
    }
    int differing = -1;
    for (int i = 0; i < first.size(); i++) {
      if (!first.get(i).equals(second.get(i))) {
        if (differing >= 0) {
          return -1;
        }
        differing = i;
      }
    }
    if (differing < 0) {
      return -1;
    }
    Condition a = first.get(differing);
    Condition b = second.get(differing);
    return a.dim().equals(b.dim()) && a.max() + 1 == b.min() ? differing : -1;
  }
}
