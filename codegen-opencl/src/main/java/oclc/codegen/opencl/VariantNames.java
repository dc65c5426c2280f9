package oclc.codegen.opencl;

import java.util.ArrayList;
import java.util.List;
import oclc.artifact.Manifest.Condition;
import oclc.artifact.Manifest.Variant;

/**
 * A node's variants under names of their own: the runtime launches a variant by name, and two size
 * classes a schedule gives the same parameters (the same kernel) would otherwise share one. Such
 * neighbours are merged into one variant over both ranges; any other repeat gets its position.
 */
final class VariantNames {
  private VariantNames() {}

  static List<Variant> distinct(List<Variant> variants) {
    List<Variant> result = new ArrayList<>();
    for (Variant v : variants) {
      Variant last = result.isEmpty() ? null : result.getLast();
      if (last != null && last.name().equals(v.name()) && last.dispatches().equals(v.dispatches())
          && adjacent(last.when(), v.when())) {
        Condition a = last.when().getFirst();
        Condition b = v.when().getFirst();
        result.set(result.size() - 1, new Variant(last.name(), List.of(new Condition(a.dim(), a.min(), b.max())),
            last.dispatches()));
      } else if (result.stream().anyMatch(r -> r.name().equals(v.name()))) {
        result.add(new Variant(v.name() + "_" + result.size(), v.when(), v.dispatches()));
      } else {
        result.add(v);
      }
    }
    return result;
  }

  /** One condition each, on the same dim, the second range starting where the first ends. */
  private static boolean adjacent(List<Condition> first, List<Condition> second) {
    return first.size() == 1 && second.size() == 1 && first.getFirst().dim().equals(second.getFirst().dim())
        && first.getFirst().max() + 1 == second.getFirst().min();
  }
}
