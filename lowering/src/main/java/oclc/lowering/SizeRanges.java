package oclc.lowering;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import oclc.artifact.Manifest.Condition;
import oclc.ir.Dim;
import oclc.ir.Graph;
import oclc.ir.OclcException;
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

  /** Where a symbol's range came from. */
  public enum Origin {
    /** Given: {@code --dim}. */
    DIM,
    /** A bound the model implies (GPT-2's 128 positions). */
    MODEL,
    /** A stated default for a symbol the model leaves unbounded. */
    DEFAULT,
    /** Equal to an expression of other symbols, which shape inference unified it with. */
    UNIFIED,
    /** Unbounded: a compile for no particular sizes. */
    OPEN;

    /** The word the manifest and the summaries use: {@code dim}, {@code model}, ... */
    public String word() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  /** A range's origin and what it rests on: the bound, the default's rule, the unification. */
  public record Provenance(Origin origin, String reason) {
    @Override
    public String toString() {
      return switch (origin) {
        case DIM -> "--dim";
        case MODEL -> "the model: " + reason;
        case DEFAULT -> "default: " + reason;
        case UNIFIED -> "unified: " + reason;
        case OPEN -> "open";
      };
    }
  }

  /** The default range of a batch symbol the model leaves unbounded. */
  public static final Interval DEFAULT_BATCH = new Interval(1, 1);

  /** The default range of a sequence symbol the model leaves unbounded: 2048 positions. */
  public static final Interval DEFAULT_SEQUENCE = new Interval(1, 2048);

  /** The default range of a past (KV cache) length the model leaves unbounded. */
  public static final Interval DEFAULT_PAST = new Interval(0, 2047);

  private final Map<String, Interval> symbols;
  private final Map<String, Provenance> provenance;

  /** A symbol unified with an expression of the free ones → that expression. */
  private final Map<String, Dim> unified;

  private final Map<String, List<Interval>> buckets;
  private final List<ShapeAssertion> assumptions;

  public SizeRanges(
      Map<String, Interval> symbols,
      Map<String, List<Interval>> buckets,
      List<ShapeAssertion> assumptions) {
    this(symbols, Map.of(), Map.of(), buckets, assumptions);
  }

  private SizeRanges(
      Map<String, Interval> symbols,
      Map<String, Provenance> provenance,
      Map<String, Dim> unified,
      Map<String, List<Interval>> buckets,
      List<ShapeAssertion> assumptions) {
    this.symbols = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(symbols));
    this.provenance =
        java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(provenance));
    this.unified = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(unified));
    this.buckets = Map.copyOf(buckets);
    this.assumptions = List.copyOf(assumptions);
  }

  /**
   * The ranges for a graph's symbols: those given, else the upper bounds the graph's assumptions
   * imply (GPT-2's {@code past_sequence_length + sequence_length <= 128} bounds both), from 0. A
   * symbol the graph unified with an expression of others ({@code total_sequence_length ==
   * past_sequence_length + sequence_length}) is not free: its range is the expression's. A free
   * symbol left without an upper bound gets a stated default when {@code defaults} ({@link
   * #defaultFor}), else stays open.
   */
  public static SizeRanges forGraph(
      Graph graph,
      Map<String, Interval> given,
      Map<String, List<Interval>> buckets,
      boolean defaults) {
    java.util.Set<String> names = new java.util.LinkedHashSet<>();
    graph.inputs().forEach(in -> in.shape().dims().forEach(d -> names.addAll(d.symbols())));
    Map<String, ShapeAssertion> unified = new java.util.LinkedHashMap<>();
    for (ShapeAssertion a : graph.assertions()) {
      a.lessOrEqual()
          .asSymbol()
          .filter(s -> a.equality() && !a.bound().symbols().contains(s) && names.contains(s))
          .ifPresent(s -> unified.putIfAbsent(s, a));
    }
    for (String name : given.keySet()) {
      if (!names.contains(name)) {
        throw new OclcException(
            "a range was given for '"
                + name
                + "', which is no symbol of the model; its symbols are "
                + names);
      }
      if (unified.containsKey(name)) {
        ShapeAssertion a = unified.get(name);
        throw new OclcException(
            "a range was given for '"
                + name
                + "', but the model makes it "
                + a.bound()
                + " ("
                + a.reason()
                + "): give the ranges of "
                + String.join(", ", a.bound().symbols())
                + " instead");
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
    Map<String, Provenance> origins = new java.util.LinkedHashMap<>();
    for (String name : names) {
      if (!unified.containsKey(name)) {
        ranges.put(name, given.getOrDefault(name, new Interval(0, OPEN)));
        origins.put(name, new Provenance(given.containsKey(name) ? Origin.DIM : Origin.OPEN, ""));
      }
    }
    for (ShapeAssertion a : graph.assertions()) {
      if (!a.equality()) {
        tighten(a, ranges, origins, given.keySet());
      }
    }
    for (String name : ranges.keySet()) {
      if (ranges.get(name).max() >= OPEN && defaults) {
        Provenance why = defaultFor(graph, name);
        ranges.put(name, defaultRange(why));
        origins.put(name, why);
      }
    }
    SizeRanges free = new SizeRanges(ranges, origins, Map.of(), Map.of(), graph.assertions());
    Map<String, Dim> expressions = new java.util.LinkedHashMap<>();
    unified.forEach(
        (name, a) -> {
          ranges.put(name, free.range(a.bound()));
          expressions.put(name, a.bound());
          origins.put(
              name, new Provenance(Origin.UNIFIED, "= " + a.bound() + " (" + a.reason() + ")"));
        });
    Map<String, Interval> ordered = new java.util.LinkedHashMap<>();
    Map<String, Provenance> orderedOrigins = new java.util.LinkedHashMap<>();
    for (String name : names) {
      ordered.put(name, ranges.get(name));
      orderedOrigins.put(name, origins.get(name));
    }
    Map<String, List<Interval>> clipped = new java.util.LinkedHashMap<>();
    buckets.forEach(
        (name, cuts) ->
            clipped.put(
                name,
                cuts.stream()
                    .map(c -> new Interval(c.min(), Math.min(c.max(), ordered.get(name).max())))
                    .toList()));
    return new SizeRanges(ordered, orderedOrigins, expressions, clipped, graph.assertions());
  }

  /**
   * The default of a free symbol the model leaves unbounded, by its place in the inputs (names are
   * the exporter's labels, read only to tell a batch apart where the inputs do not): a batch, the
   * leading dim of the token ids ({@code input_ids}, else the first integer input of rank 2) or a
   * symbol whose name says batch, is {@link #DEFAULT_BATCH}; a symbol only past inputs have ({@code
   * past_key_values.N.key}, {@code past_N}: names with "past" or "cache") is a cache length, {@link
   * #DEFAULT_PAST}; any other is a sequence length, {@link #DEFAULT_SEQUENCE}.
   */
  static Provenance defaultFor(Graph graph, String symbol) {
    java.util.Optional<oclc.ir.ValueInfo> ids =
        graph.inputs().stream()
            .filter(in -> in.name().equals("input_ids"))
            .findFirst()
            .or(
                () ->
                    graph.inputs().stream()
                        .filter(in -> in.dtype().isInteger() && in.shape().rank() == 2)
                        .findFirst());
    boolean leadsIds =
        ids.isPresent()
            && ids.get().shape().rank() > 0
            && ids.get().shape().dim(0).asSymbol().filter(symbol::equals).isPresent();
    if (leadsIds || symbol.toLowerCase(java.util.Locale.ROOT).contains("batch")) {
      return new Provenance(
          Origin.DEFAULT,
          "a batch ("
              + (leadsIds ? "the leading dim of " + ids.get().name() : "by its name")
              + "); widen it with --dim "
              + symbol
              + "=1..N");
    }
    List<String> holders =
        graph.inputs().stream()
            .filter(in -> in.shape().dims().stream().anyMatch(d -> d.symbols().contains(symbol)))
            .map(oclc.ir.ValueInfo::name)
            .toList();
    boolean past =
        !holders.isEmpty()
            && holders.stream()
                .map(n -> n.toLowerCase(java.util.Locale.ROOT))
                .allMatch(n -> n.contains("past") || n.contains("cache"));
    return new Provenance(
        Origin.DEFAULT,
        (past
                ? "a cache length (only past inputs have it) the model does not bound"
                : "a sequence length the model does not bound")
            + "; change it with --dim "
            + symbol
            + "=MIN..MAX");
  }

  private static Interval defaultRange(Provenance why) {
    return why.reason().startsWith("a batch")
        ? DEFAULT_BATCH
        : why.reason().startsWith("a cache") ? DEFAULT_PAST : DEFAULT_SEQUENCE;
  }

  /**
   * For {@code c0 + Σ ci·si <= bound} with positive ci: each si <= (bound − c0 − Σ others at their
   * minimum) / ci.
   */
  private static void tighten(
      ShapeAssertion a,
      Map<String, Interval> ranges,
      Map<String, Provenance> origins,
      java.util.Set<String> given) {
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
        origins.put(s, new Provenance(Origin.MODEL, a.toString()));
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

  /** Where each symbol's range came from; empty for ranges made without a graph. */
  public Map<String, Provenance> provenance() {
    return provenance;
  }

  /** The symbols that take their sizes freely: all but those unified with others. */
  public Map<String, Interval> freeSymbols() {
    Map<String, Interval> free = new java.util.LinkedHashMap<>(symbols);
    unified.keySet().forEach(free::remove);
    return free;
  }

  /** A symbol unified with an expression of the free ones → that expression. */
  public Map<String, Dim> unified() {
    return unified;
  }

  /** Sizes of the free symbols, with each unified symbol's size added: what inputs would give. */
  public Map<String, Long> withUnified(Map<String, Long> freeSizes) {
    if (unified.isEmpty()) {
      return freeSizes;
    }
    Map<String, Long> all = new java.util.LinkedHashMap<>(freeSizes);
    unified.forEach((name, d) -> all.put(name, d.evaluate(freeSizes::get)));
    return all;
  }

  /**
   * The one-line notices a compile prints for its defaults: {@code batch_size=1..1 by default (a
   * batch ...; widen it with --dim batch_size=1..N)}.
   */
  public List<String> notices() {
    List<String> lines = new ArrayList<>();
    provenance.forEach(
        (name, p) -> {
          if (p.origin() == Origin.DEFAULT) {
            Interval r = symbols.get(name);
            lines.add(
                Dim.symbol(name) + "=" + r.min() + ".." + r.max() + " by default: " + p.reason());
          }
        });
    return lines;
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
      if (a.equality()) {
        continue;
      }
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
