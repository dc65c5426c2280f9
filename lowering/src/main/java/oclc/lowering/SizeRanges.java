package oclc.lowering;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import oclc.artifact.Manifest.Condition;
import oclc.ir.Dim;
import oclc.ir.Graph;
import oclc.ir.OclcException;
import oclc.ir.Remedy;
import oclc.ir.ShapeAssertion;

/**
 * The sizes a compile covers: each symbol's range (inclusive), and optional bucket cuts per symbol.
 * From them, the range of any dim expression of a node, and the size classes a node's variants are
 * cut into.
 */
public final class SizeRanges {
  /** The largest size a kernel's 32-bit indices take: the end of an open range. */
  public static final long OPEN = Integer.MAX_VALUE;

  /** {@code min..max}, inclusive. */
  public record Interval(long min, long max) {
    /** {@code "3"}, {@code "1..128"} or {@code "17.."} (open). */
    public static Interval parse(String text) {
      try {
        int dots = text.indexOf("..");
        if (dots < 0) {
          long v = Long.parseLong(text.strip());
          return new Interval(v, v);
        }
        String hi = text.substring(dots + 2).strip();
        return new Interval(
            Long.parseLong(text.substring(0, dots).strip()),
            hi.isEmpty() ? OPEN : Long.parseLong(hi));
      } catch (IllegalArgumentException e) {
        throw new OclcException(
            "'" + text + "' is not a size range: write MIN..MAX, MIN.. or a single size");
      }
    }

    public Interval {
      if (min > max) {
        throw new IllegalArgumentException("empty interval " + min + ".." + max);
      }
    }

    public Interval intersect(Interval other) {
      long lo = Math.max(min, other.min);
      long hi = Math.min(max, other.max);
      return lo <= hi ? new Interval(lo, hi) : null;
    }

    public Condition on(Dim dim) {
      return new Condition(dim, min, max);
    }

    @Override
    public String toString() {
      return min == max
          ? String.valueOf(min)
          : min + ".." + (max >= OPEN ? "" : String.valueOf(max));
    }
  }

  private final Map<String, Interval> symbols;
  private final Map<String, List<Interval>> buckets;
  private final List<ShapeAssertion> assumptions;

  public SizeRanges(
      Map<String, Interval> symbols,
      Map<String, List<Interval>> buckets,
      List<ShapeAssertion> assumptions) {
    this.symbols = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(symbols));
    this.buckets = Map.copyOf(buckets);
    this.assumptions = List.copyOf(assumptions);
  }

  /**
   * The ranges for a graph's symbols: those given, else the upper bounds the graph's assumptions
   * imply (GPT-2's {@code past_sequence_length + sequence_length <= 128} bounds both), from 0. A
   * symbol left without an upper bound is an error when {@code requireBounds}, else open.
   */
  public static SizeRanges forGraph(
      Graph graph,
      Map<String, Interval> given,
      Map<String, List<Interval>> buckets,
      boolean requireBounds) {
    java.util.Set<String> names = new java.util.LinkedHashSet<>();
    graph.inputs().forEach(in -> in.shape().dims().forEach(d -> names.addAll(d.symbols())));
    for (String name : given.keySet()) {
      if (!names.contains(name)) {
        throw new OclcException(
            "a range was given for '"
                + name
                + "', which is no symbol of the model; its symbols are "
                + names);
      }
    }
    for (String name : buckets.keySet()) {
      if (!names.contains(name)) {
        throw new OclcException(
            "size-class cuts were given for '"
                + name
                + "', which is no symbol of the model; its "
                + "symbols are "
                + names);
      }
    }
    Map<String, Interval> ranges = new java.util.LinkedHashMap<>();
    for (String name : names) {
      ranges.put(name, given.getOrDefault(name, new Interval(0, OPEN)));
    }
    for (ShapeAssertion a : graph.assertions()) {
      tighten(a, ranges, given.keySet());
    }
    List<String> unbounded = names.stream().filter(n -> ranges.get(n).max() >= OPEN).toList();
    if (requireBounds && !unbounded.isEmpty()) {
      List<String> known =
          names.stream()
              .filter(n -> !unbounded.contains(n))
              .map(n -> n + "=" + ranges.get(n))
              .toList();
      throw new OclcException(
          "the model does not bound "
              + String.join(", ", unbounded)
              + (known.isEmpty() ? "" : " (the model gives " + String.join(", ", known) + ")"),
          Remedy.BOUND_DIMS,
          unbounded.toArray(String[]::new));
    }
    Map<String, List<Interval>> clipped = new java.util.LinkedHashMap<>();
    buckets.forEach(
        (name, cuts) ->
            clipped.put(
                name,
                cuts.stream()
                    .map(c -> new Interval(c.min(), Math.min(c.max(), ranges.get(name).max())))
                    .toList()));
    return new SizeRanges(ranges, clipped, graph.assertions());
  }

  /**
   * For {@code c0 + Σ ci·si <= bound} with positive ci: each si <= (bound − c0 − Σ others at their
   * minimum) / ci.
   */
  private static void tighten(
      ShapeAssertion a, Map<String, Interval> ranges, java.util.Set<String> given) {
    if (!a.bound().isConstant()) {
      return;
    }
    Dim sum = a.lessOrEqual();
    List<String> symbols = new ArrayList<>(sum.symbols());
    Map<String, Long> zero = new HashMap<>();
    symbols.forEach(s -> zero.put(s, 0L));
    long constant = sum.evaluate(zero::get);
    Map<String, Long> coefficients = new HashMap<>();
    for (String s : symbols) {
      Map<String, Long> one = new HashMap<>(zero);
      one.put(s, 1L);
      Map<String, Long> two = new HashMap<>(zero);
      two.put(s, 2L);
      long c = sum.evaluate(one::get) - constant;
      if (c <= 0 || sum.evaluate(two::get) - constant != 2 * c) {
        return; // not a sum of positive multiples of the symbols
      }
      coefficients.put(s, c);
    }
    for (String s : symbols) {
      if (given.contains(s) || !ranges.containsKey(s)) {
        continue;
      }
      long rest = constant;
      for (String other : symbols) {
        if (!other.equals(s)) {
          rest += coefficients.get(other) * ranges.getOrDefault(other, new Interval(0, OPEN)).min();
        }
      }
      long max = Math.floorDiv(a.bound().constant() - rest, coefficients.get(s));
      Interval r = ranges.get(s);
      if (max < r.max() && max >= r.min()) {
        ranges.put(s, new Interval(r.min(), max));
      }
    }
  }

  /** Every symbol open: what a compile for no particular sizes covers. */
  public static SizeRanges open() {
    return new SizeRanges(Map.of(), Map.of(), List.of());
  }

  public Interval symbol(String name) {
    return symbols.getOrDefault(name, new Interval(0, OPEN));
  }

  public Map<String, Interval> symbols() {
    return symbols;
  }

  /**
   * The range of {@code dim} over the symbols' ranges: its values at the corners of the box. Node
   * dims are sums of products of distinct symbols (and monotone floor-divisions, mins and maxes),
   * which take their extremes at corners. An assumption {@code L <= B} with {@code dim - L}
   * constant bounds it too (GPT-2's key length {@code past + seq <= 128}).
   */
  public Interval range(Dim dim) {
    List<String> names = new ArrayList<>(dim.symbols());
    long lo = Long.MAX_VALUE;
    long hi = Long.MIN_VALUE;
    for (int corner = 0; corner < 1 << names.size(); corner++) {
      Map<String, Long> values = new HashMap<>();
      for (int i = 0; i < names.size(); i++) {
        Interval r = symbol(names.get(i));
        values.put(names.get(i), (corner >> i & 1) == 0 ? r.min() : r.max());
      }
      long v = dim.evaluate(values::get);
      lo = Math.min(lo, v);
      hi = Math.max(hi, v);
    }
    for (ShapeAssertion a : assumptions) {
      Dim offset = dim.minus(a.lessOrEqual());
      if (offset.isConstant() && a.bound().isConstant()) {
        hi = Math.min(hi, a.bound().constant() + offset.constant());
      }
    }
    return new Interval(Math.max(0, Math.min(lo, hi)), Math.min(OPEN, Math.max(0, hi)));
  }

  /**
   * The size classes of {@code dim} that its range meets: the user's buckets when the dim depends
   * on one symbol that has them (mapped through the dim), else {@code defaultCuts}; each clipped to
   * the dim's range.
   */
  public List<Interval> classes(Dim dim, List<Interval> defaultCuts) {
    Interval range = range(dim);
    List<Interval> cuts = defaultCuts;
    Dim fixed = withFixedSymbols(dim);
    if (fixed.symbols().size() == 1) {
      String symbol = fixed.symbols().iterator().next();
      List<Interval> own = buckets.get(symbol);
      if (own != null) {
        cuts =
            own.stream()
                .map(b -> new Interval(fixed.evaluate(s -> b.min()), fixed.evaluate(s -> b.max())))
                .toList();
      }
    }
    List<Interval> classes = new ArrayList<>();
    for (Interval cut : cuts) {
      Interval met = cut.intersect(range);
      if (met != null) {
        classes.add(met);
      }
    }
    return classes;
  }

  /** The dim with every symbol whose range is a single value replaced by it. */
  private Dim withFixedSymbols(Dim dim) {
    Map<String, Dim> fixed = new HashMap<>();
    for (String s : dim.symbols()) {
      Interval r = symbol(s);
      if (r.min() == r.max()) {
        fixed.put(s, Dim.of(r.min()));
      }
    }
    return fixed.isEmpty() ? dim : dim.substitute(fixed);
  }
}
